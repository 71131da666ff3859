import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EventEnvelope } from "../mapping.ts";
import { compileFilter, NO_FILTER } from "./compile.ts";
import { FILTER_OPS, type FilterOp, filterProblems } from "./rules.ts";

const event: EventEnvelope = {
  id: "evt_1",
  name: "order.created",
  source: "shop",
  time: "2026-07-01T12:00:00.000Z",
  payload: {
    country: "BR",
    amount: 1500,
    email: "ada@example.com",
    tags: ["vip", "b2b"],
    customer: { tier: "gold", phone: null },
    items: [{ sku: "A-1" }, { sku: "B-2" }],
    created: "2026-07-01",
  },
};

async function test(filter: unknown, on: EventEnvelope = event) {
  return compileFilter(filter).test(on);
}

const rule = (path: string, op: FilterOp, value?: unknown) =>
  value === undefined ? { all: [{ path, op }] } : { all: [{ path, op, value }] };

describe("filter rules", () => {
  it.each<[string, FilterOp, unknown, boolean]>([
    ["$.payload.country", "eq", "BR", true],
    ["$.payload.country", "eq", "AR", false],
    ["$.payload.amount", "eq", "1500", false],
    ["$.payload.customer", "eq", { tier: "gold", phone: null }, true],
    ["$.payload.country", "ne", "AR", true],
    ["$.payload.missing", "ne", "AR", true],
    ["$.payload.amount", "gt", 1000, true],
    ["$.payload.amount", "gt", 1500, false],
    ["$.payload.amount", "gte", 1500, true],
    ["$.payload.amount", "lt", 1500, false],
    ["$.payload.amount", "lte", 1500, true],
    ["$.payload.amount", "gt", "100", false],
    ["$.payload.created", "gte", "2026-01-01", true],
    ["$.payload.created", "lt", "2026-01-01", false],
    ["$.payload.missing", "lt", 5, false],
    ["$.payload.country", "in", ["BR", "AR"], true],
    ["$.payload.country", "in", ["CL"], false],
    ["$.payload.customer", "in", [{ tier: "gold", phone: null }], true],
    ["$.payload.country", "nin", ["CL", "AR"], true],
    ["$.payload.country", "nin", ["BR"], false],
    ["$.payload.missing", "nin", ["BR"], true],
    ["$.payload.customer.tier", "exists", undefined, true],
    ["$.payload.customer.phone", "exists", undefined, true],
    ["$.payload.missing", "exists", undefined, false],
    ["$.payload.missing", "exists", false, true],
    ["$.payload.email", "contains", "@example", true],
    ["$.payload.tags", "contains", "vip", true],
    ["$.payload.tags", "contains", "retail", false],
    ["$.payload.amount", "contains", 1, false],
    ["$.payload.email", "startsWith", "ada@", true],
    ["$.payload.email", "endsWith", ".org", false],
    ["$.payload.items[*].sku", "contains", "B-2", true],
    ["$.payload.items[0].sku", "eq", "A-1", true],
    ["$.name", "startsWith", "order.", true],
  ])("%s %s %j → %s", async (path, op, value, expected) => {
    const outcome = await test(rule(path, op, value));
    expect(outcome.matched).toBe(expected);
    expect(outcome.error).toBeUndefined();
  });

  it("says which rule failed and what it saw", async () => {
    const filter = {
      all: [
        { path: "$.payload.amount", op: "gte", value: 100 },
        {
          any: [
            { path: "$.payload.country", op: "eq", value: "AR" },
            { path: "$.payload.country", op: "eq", value: "CL" },
          ],
        },
      ],
    };
    const outcome = await test(filter);
    expect(outcome.matched).toBe(false);
    expect(outcome.reason).toBe(
      'no rule of all[1] matched: all[1].any[0] ($.payload.country eq "AR") failed: saw "BR"; all[1].any[1] ($.payload.country eq "CL") failed: saw "BR"',
    );
    const missing = await test(rule("$.payload.nope", "eq", 1));
    expect(missing.reason).toBe("all[0] ($.payload.nope eq 1) failed: saw nothing (missing)");
    expect((await test({ any: [{ path: "$.payload.country", op: "eq", value: "BR" }] })).reason).toBe(
      'any[0] ($.payload.country eq "BR") matched: saw "BR"',
    );
    expect((await test({ all: [{ path: "$.payload.country", op: "eq", value: "BR" }] })).reason).toBe(
      "all: every rule matched",
    );
  });

  it("nests all / any / not", async () => {
    const vipOutsideAr = {
      all: [
        { path: "$.payload.tags", op: "contains", value: "vip" },
        { not: { path: "$.payload.country", op: "eq", value: "AR" } },
        {
          any: [
            { path: "$.payload.amount", op: "gt", value: 10_000 },
            { not: { all: [{ path: "$.payload.customer.tier", op: "ne", value: "gold" }] } },
          ],
        },
      ],
    };
    expect((await test(vipOutsideAr)).matched).toBe(true);
    const ar = { ...event, payload: { ...(event.payload as object), country: "AR" } };
    const outcome = await test(vipOutsideAr, ar);
    expect(outcome.matched).toBe(false);
    expect(outcome.reason).toMatch(/^all\[1\]\.not: all\[1\]\.not \(\$\.payload\.country eq "AR"\) matched: saw "AR"$/);
    expect((await test({ not: { path: "$.payload.country", op: "eq", value: "BR" } })).matched).toBe(false);
  });

  it("null is no filter", async () => {
    expect(compileFilter(null)).toBe(NO_FILTER);
    expect(await NO_FILTER.test(event)).toEqual({ matched: true, reason: "no filter: every event with the name" });
  });

  it("property: not inverts, nin is not in, eq on the value seen always matches", async () => {
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
    await fc.assert(
      fc.asyncProperty(scalar, fc.array(scalar, { maxLength: 5 }), async (seen, list) => {
        const e = { ...event, payload: { v: seen } };
        const inList = await test({ all: [{ path: "$.payload.v", op: "in", value: list }] }, e);
        const notIn = await test({ all: [{ path: "$.payload.v", op: "nin", value: list }] }, e);
        const negated = await test({ not: { path: "$.payload.v", op: "in", value: list } }, e);
        expect(inList.matched).toBe(list.some((x) => x === seen));
        expect(notIn.matched).toBe(!inList.matched);
        expect(negated.matched).toBe(!inList.matched);
        expect((await test({ all: [{ path: "$.payload.v", op: "eq", value: seen }] }, e)).matched).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe("expression filters", () => {
  it("take the event when the expression gives a true value (JSONata truthiness)", async () => {
    expect(await test({ expression: "{% payload.amount > 1000 %}" })).toEqual({
      matched: true,
      reason: "the expression gave true",
    });
    expect((await test({ expression: "{% payload.amount > 9000 %}" })).matched).toBe(false);
    expect((await test({ expression: "{% payload.items[sku = 'B-2'] %}" })).matched).toBe(true);
    expect((await test({ expression: "{% payload.items[sku = 'Z'] %}" })).matched).toBe(false);
    expect((await test({ expression: "{% $count(payload.tags) %}" })).matched).toBe(true);
    expect((await test({ expression: "{% '' %}" })).matched).toBe(false);
  });

  it("an expression that fails or runs out of budget is an error, not a match", async () => {
    const outcome = await test({ expression: "{% ($f := function($n){$f($n+1)}; $f(0)) %}" });
    expect(outcome.matched).toBe(false);
    expect(outcome.error).toMatch(/^filter\.expression: the expression ran longer than its time budget/);
    const cast = await test({ expression: "{% $number(payload.email) > 1 %}" });
    expect(cast.error).toMatch(/^filter\.expression: Unable to cast value to a number/);
  });
});

describe("filterProblems (save-time checks)", () => {
  it("accepts every op with a value of the right kind", () => {
    const values: Record<FilterOp, unknown> = {
      eq: "x",
      ne: null,
      gt: 1,
      gte: "2026-01-01",
      lt: 1.5,
      lte: 0,
      in: ["a", 1],
      nin: [],
      exists: true,
      contains: "x",
      startsWith: "a",
      endsWith: "z",
    };
    for (const op of FILTER_OPS) {
      expect(filterProblems({ all: [{ path: "$.payload.x", op, value: values[op] }] })).toEqual([]);
    }
    expect(filterProblems({ any: [{ path: "$.payload.x", op: "exists" }] })).toEqual([]);
    expect(filterProblems(null)).toEqual([]);
    expect(filterProblems({ expression: "{% payload.amount > 1 %}" })).toEqual([]);
  });

  it.each<[string, unknown, string, RegExp]>([
    ["unknown op", { all: [{ path: "$.payload.x", op: "like", value: 1 }] }, "all.0.op", /unknown op "like"/],
    ["path not a JSONPath", { all: [{ path: "payload.x", op: "eq", value: 1 }] }, "all.0.path", /must be a JSONPath/],
    [
      "script in the path",
      { all: [{ path: "$.payload[?(@.x)]", op: "eq", value: 1 }] },
      "all.0.path",
      /script or filter/,
    ],
    [
      "in without a list",
      { all: [{ path: "$.payload.x", op: "in", value: "BR" }] },
      "all.0.value",
      /takes a list of values, not a string/,
    ],
    [
      "nin without a list",
      { any: [{ path: "$.payload.x", op: "nin", value: { a: 1 } }] },
      "any.0.value",
      /takes a list/,
    ],
    [
      "gt with a boolean",
      { all: [{ path: "$.payload.x", op: "gt", value: true }] },
      "all.0.value",
      /compares with a number or a string/,
    ],
    [
      "startsWith a number",
      { all: [{ path: "$.payload.x", op: "startsWith", value: 1 }] },
      "all.0.value",
      /takes a string/,
    ],
    [
      "exists with text",
      { all: [{ path: "$.payload.x", op: "exists", value: "yes" }] },
      "all.0.value",
      /true \(the default\) or false/,
    ],
    ["eq without value", { all: [{ path: "$.payload.x", op: "eq" }] }, "all.0.value", /needs a value/],
    [
      "unknown rule field",
      { all: [{ path: "$.payload.x", op: "eq", value: 1, note: "x" }] },
      "all.0.note",
      /unknown field/,
    ],
    ["empty all", { all: [] }, "all", /non-empty list/],
    ["two keys in a group", { all: [{ path: "$.x", op: "exists" }], any: [] }, "", /exactly one of all, any or not/],
    ["not a filter", { country: "BR" }, "", /must be \{"all"/],
    ["a list", [{ path: "$.x", op: "exists" }], "", /must be \{"all"/],
    ["expression not {% %}", { expression: "payload.x > 1" }, "expression", /written as \{% … %\}/],
    ["expression syntax", { expression: "{% payload.( %}" }, "expression", /syntax error at character \d+/],
    ["expression unknown function", { expression: "{% $nope() %}" }, "expression", /unknown function \$nope/],
    ["expression reads a secret", { expression: "{% $secret('k') = 'x' %}" }, "expression", /cannot read secrets/],
    ["expression and rules", { expression: "{% true %}", all: [] }, "all", /only `expression`/],
  ])("%s", (_name, filter, path, message) => {
    const problems = filterProblems(filter);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.path.join(".")).toBe(path);
    expect(problems[0]?.message).toMatch(message);
  });

  it("refuses nesting deeper than 8 levels, accepts 8", () => {
    const nest = (levels: number): unknown =>
      levels === 1 ? { all: [{ path: "$.x", op: "exists" }] } : { any: [nest(levels - 1)] };
    expect(filterProblems(nest(8))).toEqual([]);
    const [problem] = filterProblems(nest(9));
    expect(problem?.message).toBe("the filter is nested more than 8 levels deep");
    expect(problem?.path.join(".")).toBe("any.0.any.0.any.0.any.0.any.0.any.0.any.0.any.0");
    const notChain = (levels: number): unknown =>
      levels === 1 ? { all: [{ path: "$.x", op: "exists" }] } : { not: notChain(levels - 1) };
    expect(filterProblems(notChain(9))[0]?.message).toMatch(/nested more than 8/);
  });

  it("a stored filter that is no longer valid rejects every event with the problem", async () => {
    const outcome = await test({ all: [{ path: "$.x", op: "like", value: 1 }] });
    expect(outcome.matched).toBe(false);
    expect(outcome.error).toMatch(/^filter\.all\.0\.op: unknown op/);
  });
});
