import { describe, expect, it } from "vitest";
import { TokenCache } from "./token-cache.ts";

const actor = { tokenId: "tok_1", role: "admin" as const, name: "ops" };

describe("TokenCache", () => {
  it("answers for five seconds, remembers refusals too, and forgets a revoked token at once", () => {
    const cache = new TokenCache();
    expect(cache.get("h1", 0)).toBeUndefined();
    cache.set("h1", actor, 0);
    cache.set("h2", null, 0);
    expect(cache.get("h1", 4_999)).toEqual(actor);
    expect(cache.get("h2", 4_999)).toBeNull();
    expect(cache.get("h1", 5_000)).toBeUndefined();
    cache.set("h1", actor, 10_000);
    cache.forget("h1");
    expect(cache.get("h1", 10_001)).toBeUndefined();
  });

  it("lets lastUsedAt be written at most once a minute per token", () => {
    const cache = new TokenCache();
    expect(cache.takeLastUsedWrite("tok_1", 100_000)).toBe(true);
    expect(cache.takeLastUsedWrite("tok_1", 159_000)).toBe(false);
    expect(cache.takeLastUsedWrite("tok_2", 159_000)).toBe(true);
    expect(cache.takeLastUsedWrite("tok_1", 160_001)).toBe(true);
  });

  it("is per instance: two contexts in one process never share answers", () => {
    const a = new TokenCache();
    const b = new TokenCache();
    a.set("h1", actor, 0);
    expect(b.get("h1", 1)).toBeUndefined();
  });
});
