import { describe, expect, it } from "vitest";
import { parseJsonEvent } from "./cloudevents.ts";
import { findUnstorableText, storableText } from "./storable-text.ts";

describe("findUnstorableText", () => {
  it("finds a NUL character in a value or a key, with its JSONPath", () => {
    expect(findUnstorableText(JSON.parse('{"a":{"note":"x\\u0000y"}}'))).toBe("a NUL character (\\u0000) at $.a.note");
    expect(findUnstorableText(JSON.parse('{"items":[{"sku":"1"},{"sku":"\\u0000"}]}'))).toBe(
      "a NUL character (\\u0000) at $.items[1].sku",
    );
    expect(findUnstorableText(JSON.parse('{"a":{"k\\u0000":1}}'))).toBe(
      'a NUL character (\\u0000) in the key at $.a["k\\u0000"]',
    );
    expect(findUnstorableText("\u0000", "$.payload")).toBe("a NUL character (\\u0000) at $.payload");
  });

  it("finds an unpaired surrogate (jsonb refuses it) and accepts a pair", () => {
    expect(findUnstorableText(JSON.parse('{"a":"\\ud800"}'))).toBe("an unpaired UTF-16 surrogate at $.a");
    expect(findUnstorableText(JSON.parse('{"a":"x\\udc00"}'))).toBe("an unpaired UTF-16 surrogate at $.a");
    expect(findUnstorableText(JSON.parse('{"a":"\\ud83d\\ude00"}'))).toBeNull();
  });

  it("accepts the text \\u0000 (a backslash, then u0000) and other values", () => {
    expect(findUnstorableText({ path: "C:\\u0000", n: 1, b: true, z: null, list: [[], {}] })).toBeNull();
    expect(findUnstorableText(null)).toBeNull();
    expect(findUnstorableText(42)).toBeNull();
  });

  it("walks a deeply nested value without overflowing the stack", () => {
    let deep: unknown = "\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorableText(deep)).toMatch(/^a NUL character \(\\u0000\) at \$(\[0\]){100000}$/);
  });
});

describe("storableText", () => {
  it("replaces NUL with ␀ and an unpaired surrogate with U+FFFD, keeping pairs", () => {
    expect(storableText("a\u0000b\ud800c\ud83d\ude00")).toBe("a\u2400b\ufffdc\ud83d\ude00");
  });
});

describe("parseJsonEvent refuses what cannot be stored", () => {
  it("names where a NUL is and accepts the text \\u0000", () => {
    expect(() => parseJsonEvent({ name: "a.b", payload: { note: "x\u0000" } })).toThrow(
      "The event contains a NUL character (\\u0000) at $.payload.note, which cannot be stored",
    );
    expect(() => parseJsonEvent({ name: "a.b", payload: { note: "\ud800" } })).toThrow(/unpaired UTF-16 surrogate/);
    expect(parseJsonEvent({ name: "a.b", payload: { path: "C:\\u0000" } }).payload).toEqual({ path: "C:\\u0000" });
  });
});
