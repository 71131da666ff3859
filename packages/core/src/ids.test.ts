import { describe, expect, it } from "vitest";
import { encodeTime, newId, requestIdFrom, ulid } from "./ids.ts";

describe("newId", () => {
  it("prefixes the kind and 26 Crockford base32 characters", () => {
    expect(newId("connector")).toMatch(/^con_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(newId("delivery")).toMatch(/^dlv_/);
    expect(newId("event")).toMatch(/^evt_/);
  });

  it("sorts by creation, even within one millisecond", () => {
    const ids = Array.from({ length: 2000 }, () => newId("delivery"));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("encodes the time in the first ten characters", () => {
    expect(encodeTime(1_700_000_000_000) < encodeTime(1_700_000_000_001)).toBe(true);
    expect(encodeTime(0)).toBe("0000000000");
    const before = encodeTime(Date.now());
    expect(ulid().slice(0, 10) >= before).toBe(true);
  });
});

describe("requestIdFrom", () => {
  it("keeps a sane incoming id", () => {
    expect(requestIdFrom("trace-1.a:b_c")).toBe("trace-1.a:b_c");
  });
  it("makes a fresh req_ id when there is none or it is not sane", () => {
    for (const incoming of [null, undefined, "", "has space", "x".repeat(129), "new\nline"]) {
      expect(requestIdFrom(incoming)).toMatch(/^req_[0-9a-hjkmnp-tv-z]{26}$/);
    }
  });
});
