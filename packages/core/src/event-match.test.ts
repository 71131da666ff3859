import { describe, expect, it } from "vitest";
import {
  exampleEventName,
  isValidEventName,
  isValidSourceEventPattern,
  matchesSourceEvent,
  patternsMatching,
} from "./event-match.ts";

describe("event matching", () => {
  it("matches exact names, trailing wildcards and *", () => {
    expect(matchesSourceEvent("order.created", "order.created")).toBe(true);
    expect(matchesSourceEvent("order.created", "order.created.v2")).toBe(false);
    expect(matchesSourceEvent("order.*", "order.created")).toBe(true);
    expect(matchesSourceEvent("order.*", "order.item.added")).toBe(true);
    expect(matchesSourceEvent("order.*", "order")).toBe(false);
    expect(matchesSourceEvent("order.*", "orders.created")).toBe(false);
    expect(matchesSourceEvent("*", "anything")).toBe(true);
  });

  it("lists every pattern matching a name, consistent with matchesSourceEvent", () => {
    expect(patternsMatching("a.b.c").sort()).toEqual(["*", "a.*", "a.b.*", "a.b.c"].sort());
    for (const p of patternsMatching("x.y.z")) expect(matchesSourceEvent(p, "x.y.z")).toBe(true);
  });

  it("validates names and patterns", () => {
    expect(isValidEventName("order.created")).toBe(true);
    expect(isValidEventName("com.example/order:v1")).toBe(true);
    for (const bad of ["", "a..b", "a.", ".a", "a b", "a*"]) expect(isValidEventName(bad), bad).toBe(false);
    for (const good of ["*", "order.*", "order.created"]) expect(isValidSourceEventPattern(good)).toBe(true);
    for (const bad of ["order*", "*.created", "order.*.x", "a..*"])
      expect(isValidSourceEventPattern(bad), bad).toBe(false);
  });

  it("gives an example name each pattern matches", () => {
    for (const pattern of ["order.created", "order.*", "a.b.*", "*"]) {
      const name = exampleEventName(pattern);
      expect(isValidEventName(name)).toBe(true);
      expect(matchesSourceEvent(pattern, name)).toBe(true);
    }
    expect(exampleEventName("order.*")).toBe("order.example");
  });
});
