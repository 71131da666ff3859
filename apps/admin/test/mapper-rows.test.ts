import { isExpression as coreIsExpression } from "@ib/core/expressions";
import { isJsonPath as coreIsJsonPath } from "@ib/core/mapping";
import { renderMappingFields } from "@ib/core/mapping-fields";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ItemField,
  type ItemValue,
  parseEach,
  splitTopLevel,
  writeEach,
} from "../app/(app)/connectors/_components/mapper/each-expression";
import {
  jsonataPathOf,
  jsonataSegmentsOf,
  jsonPathOf,
  segmentsOf,
} from "../app/(app)/connectors/_components/mapper/json-path";
import {
  type FieldRow,
  isExpression,
  isJsonPath,
  mappingFromRows,
  rowsFromMapping,
} from "../app/(app)/connectors/_components/mapper/mapping-rows";

// Ids are the form's own bookkeeping; a round trip is about everything else.
function withoutIds(rows: FieldRow[]): unknown {
  return JSON.parse(
    JSON.stringify(rows, (key, value) =>
      key === "id" ? undefined : key === "source" && typeof value === "string" ? undefined : value,
    ),
  );
}

function rowsOf(mapping: unknown): FieldRow[] {
  const out = rowsFromMapping(mapping);
  if ("reason" in out) throw new Error(out.reason);
  return out.rows;
}

// ------------------------------------------------------------------------------------------------------
// Generators for mappings the form can show.

const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !k.includes(".") && k !== "__proto__");
const segment: fc.Arbitrary<string | number> = fc.oneof(
  fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,6}$/),
  // A backtick cannot be written inside a JSONata name.
  fc.string({ minLength: 1, maxLength: 5 }).filter((s) => !s.includes("`")),
  fc.nat(20),
);
const segments = fc.array(segment, { minLength: 1, maxLength: 4 });
const scalarText = fc
  .string({ maxLength: 12 })
  .filter((s) => !isJsonPath(s) && !isExpression(s) && !/<<[^<>]*>>|\{\{[^{}]*\}\}/.test(s));
const fixed = fc.oneof(
  scalarText,
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const path = segments.map((s) => jsonPathOf(["payload", ...s]));
const template = fc
  .tuple(fc.string({ maxLength: 6 }), fc.constantFrom("payload.orderId", "source", "payload.items.0.sku"))
  .map(([text, p]) => `${text.replace(/[<>{}]/g, "")}<<event.${p}>>`)
  .filter((s) => !isJsonPath(s) && !isExpression(s));
const formula = fc
  .string({ maxLength: 20 })
  .filter((s) => !s.includes("%}"))
  .map((s) => `{% ${s.trim()} %}`);
const rawFormula = fc.constantFrom("{%payload.total%}", "{%  $now()\n%}", "{%%}");
const itemValue: fc.Arbitrary<ItemValue> = fc.oneof(
  fc.array(segment, { maxLength: 3 }).map((path) => ({ kind: "item" as const, path })),
  fixed.map((value) => ({ kind: "fixed" as const, value })),
  fc
    .constantFrom("$item.price * 100", "$join([$item.a, $item.b], ', ')", "$item.x ? 'y' : 'z'", "(1)")
    .map((expression) => ({ kind: "formula" as const, expression })),
);
const each = fc
  .record({
    source: segments,
    fields: fc.uniqueArray(fc.record({ name: fc.string({ minLength: 1, maxLength: 6 }), value: itemValue }), {
      selector: (f) => f.name,
      maxLength: 4,
    }),
  })
  .map((spec) => writeEach({ ...spec, fields: spec.fields.map((f, i) => ({ ...f, id: `i${i}` })) }));
const leaf = fc.oneof(fixed, path, template, formula, rawFormula, each);
const { mapping } = fc.letrec<{ mapping: Record<string, unknown>; value: unknown }>((tie) => ({
  mapping: fc.dictionary(key, tie("value"), { minKeys: 1, maxKeys: 5 }),
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, leaf, tie("mapping")),
}));

describe("mapping ⇄ rows", () => {
  it("reads each kind of value and writes the same mapping back", () => {
    const m = {
      orderId: "$.payload.orderId",
      customer: { email: "$.payload.customer.email", greeting: "Hello <<event.payload.customer.name>>" },
      placed: "{% $formatDate(time, '[D01]/[M01]/[Y0001]') %}",
      currency: "EUR",
      count: 3,
      paid: false,
      nothing: null,
      lines:
        '{% [$map(payload.items, function($item) { {"sku": $item.sku, "qty": 1, "cents": ($item.price * 100)} })] %}',
    };
    const rows = rowsOf(m);
    expect(rows.map((r) => [r.name, r.value.kind])).toEqual([
      ["orderId", "path"],
      ["customer.email", "path"],
      ["customer.greeting", "text"],
      ["placed", "formula"],
      ["currency", "fixed"],
      ["count", "fixed"],
      ["paid", "fixed"],
      ["nothing", "fixed"],
      ["lines", "each"],
    ]);
    const lines = rows[8]?.value;
    expect(lines).toMatchObject({
      kind: "each",
      source: ["payload", "items"],
      fields: [
        { name: "sku", value: { kind: "item", path: ["sku"] } },
        { name: "qty", value: { kind: "fixed", value: 1 } },
        { name: "cents", value: { kind: "formula", expression: "$item.price * 100" } },
      ],
    });
    const back = mappingFromRows(rows);
    expect(back.problems).toEqual({});
    expect(JSON.stringify(back.mapping)).toBe(JSON.stringify(m));
  });

  it("round trip: rows → mapping → rows is the identity for every mapping the form shows, and the mapping is unchanged", () => {
    fc.assert(
      fc.property(mapping, (m) => {
        const rows = rowsOf(m);
        const { mapping: written, problems } = mappingFromRows(rows);
        expect(problems).toEqual({});
        expect(JSON.stringify(written)).toBe(JSON.stringify(m));
        expect(withoutIds(rowsOf(written))).toEqual(withoutIds(rows));
      }),
      { numRuns: 400 },
    );
  });

  it("says why a mapping opens in JSON", () => {
    const reason = (m: unknown) => {
      const out = rowsFromMapping(m);
      return "reason" in out ? out.reason : null;
    };
    expect(reason("$.payload")).toMatch(/single value/);
    expect(reason(["$.id"])).toMatch(/is a list/);
    expect(reason({ tags: ["a", "b"] })).toMatch(/"tags" is a list/);
    expect(reason({ a: { b: {} } })).toMatch(/"a.b" is an empty object/);
    expect(reason({ "a.b": 1 })).toMatch(/dots in names/);
    expect(reason({ "": 1 })).toMatch(/empty name/);
    expect(reason({})).toBeNull();
  });

  it("leaves out rows it cannot write yet, each with its problem, and keeps __proto__ an ordinary key", () => {
    const rows: FieldRow[] = [
      { id: "a", name: "", value: { kind: "fixed", value: 1 } },
      { id: "b", name: "x", value: { kind: "path", path: "" } },
      { id: "c", name: "y", value: { kind: "fixed", value: "$.looks.like.a.path" } },
      { id: "d", name: "z", value: { kind: "fixed", value: 1 } },
      { id: "e", name: "z.deeper", value: { kind: "fixed", value: 2 } },
      { id: "f", name: "z", value: { kind: "fixed", value: 3 } },
      { id: "g", name: "__proto__", value: { kind: "fixed", value: "kept" } },
      { id: "h", name: "w", value: { kind: "formula", expression: " " } },
      { id: "i", name: "v", value: { kind: "each", source: [], fields: [] } },
    ];
    const { mapping: m, problems } = mappingFromRows(rows);
    expect(Object.keys(problems).sort()).toEqual(["a", "b", "c", "e", "f", "h", "i"]);
    expect(problems.e).toMatch(/already a value/);
    expect(problems.f).toMatch(/Another field has this name/);
    expect(JSON.stringify(m)).toBe('{"z":1,"__proto__":"kept"}');
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
  });

  it("uses the engine's rules for what is a JSONPath and what is a formula", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("$", "$.", "$[", "$x", "{%%}", "{%", "%}")),
        (s) => {
          expect(isJsonPath(s)).toBe(coreIsJsonPath(s));
          expect(isExpression(s)).toBe(coreIsExpression(s));
        },
      ),
    );
  });
});

describe("for each item", () => {
  it("writes an expression the engine renders as a list of objects, a one-item list included", async () => {
    const fields: ItemField[] = [
      { id: "1", name: "sku", value: { kind: "item", path: ["sku"] } },
      { id: "2", name: "unit price", value: { kind: "item", path: ["price", "amount"] } },
      { id: "3", name: "cents", value: { kind: "formula", expression: "$round($item.price.amount * 100)" } },
      { id: "4", name: "currency", value: { kind: "fixed", value: "EUR" } },
    ];
    const expression = writeEach({ source: ["payload", "items"], fields });
    const render = async (items: unknown[]) =>
      (
        await renderMappingFields({
          mapping: { lines: expression },
          event: { id: "e", name: "n", source: null, time: "2026-01-01T00:00:00Z", payload: { items } },
          secrets: {},
        })
      )[0];
    const one = await render([{ sku: "A", price: { amount: 1.5 } }]);
    expect(one?.error).toBeUndefined();
    expect(one?.value).toEqual([{ sku: "A", "unit price": 1.5, cents: 150, currency: "EUR" }]);
    const two = await render([
      { sku: "A", price: { amount: 1 } },
      { sku: "B", price: { amount: 2 } },
    ]);
    expect(two?.value).toEqual([
      { sku: "A", "unit price": 1, cents: 100, currency: "EUR" },
      { sku: "B", "unit price": 2, cents: 200, currency: "EUR" },
    ]);
    expect(parseEach(expression)?.fields.map((f) => f.name)).toEqual(["sku", "unit price", "cents", "currency"]);
  });

  it("reads only its own exact shape: anything else stays a formula", () => {
    const ok = '{% [$map(payload.items, function($item) { {"sku": $item.sku} })] %}';
    expect(parseEach(ok)).not.toBeNull();
    for (const other of [
      '{% [$map(payload.items, function($item) { {"sku": $item.sku } })] %}',
      '{% $map(payload.items, function($item) { {"sku": $item.sku} }) %}',
      '{% [$map(payload.items, function($item) { {"sku": ($item.a) + ($item.b)} })] %}',
      '{% [$map(payload.items, function($item) { {"sku": $item.sku, } })] %}',
      '{% [$map(, function($item) { {"sku": $item.sku} })] %}',
      "{% payload.items %}",
    ]) {
      expect(parseEach(other), other).toBeNull();
      expect(rowsOf({ x: other })[0]?.value.kind).toBe("formula");
    }
  });

  it("splits entries on commas outside brackets and strings", () => {
    expect(splitTopLevel('"a": 1, "b, c": ($f(1, 2)), "d": "x, y"')).toEqual([
      '"a": 1',
      '"b, c": ($f(1, 2))',
      '"d": "x, y"',
    ]);
  });
});

describe("paths", () => {
  it("JSONPath and JSONata spellings read back to the same segments", () => {
    fc.assert(
      fc.property(segments, (s) => {
        expect(segmentsOf(jsonPathOf(s))).toEqual(s);
        expect(jsonataSegmentsOf(jsonataPathOf(s))).toEqual(s);
        expect(jsonataSegmentsOf(jsonataPathOf(s, "$item"), "$item")).toEqual(s);
      }),
    );
    expect(jsonPathOf(["payload", "items", 0, "unit price"])).toBe("$.payload.items[0]['unit price']");
    expect(jsonataPathOf(["payload", "items", 0, "unit price"])).toBe("payload.items[0].`unit price`");
  });
});
