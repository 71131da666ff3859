import fc from "fast-check";
import { JSONPath } from "jsonpath-plus";
import { describe, expect, it } from "vitest";
import {
  type EventEnvelope,
  isJsonPath,
  MappingError,
  renderMapping,
  SECRET_MASK,
  secretReferences,
  validateMapping,
} from "./mapping.ts";

const event: EventEnvelope = {
  id: "evt_01",
  name: "order.created",
  source: "shop",
  time: "2026-01-01T00:00:00.000Z",
  payload: {
    orderId: "ord_42",
    total: 12.5,
    paid: true,
    customer: { name: "Ada", email: "ada@example.com" },
    items: [
      { sku: "A-1", qty: 2 },
      { sku: "B-2", qty: 1 },
    ],
    nothing: null,
  },
};
const secrets = { token: "tok-SECRET-123", apiKey: "key-SECRET-456" };

function render(mapping: unknown, extra: Partial<Parameters<typeof renderMapping>[1]> = {}) {
  return renderMapping(mapping, { event, secrets, ...extra });
}

function errorOf(fn: () => unknown): MappingError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MappingError);
    return error as MappingError;
  }
  throw new Error("expected a MappingError");
}

describe("JSONPath values", () => {
  it("keep their type", () => {
    const out = render({
      id: "$.id",
      orderId: "$.payload.orderId",
      total: "$.payload.total",
      paid: "$.payload.paid",
      customer: "$.payload.customer",
      sku: "$.payload.items[0].sku",
      bracket: "$['payload']['customer']['name']",
      whole: "$",
    });
    expect(out.value).toEqual({
      id: "evt_01",
      orderId: "ord_42",
      total: 12.5,
      paid: true,
      customer: { name: "Ada", email: "ada@example.com" },
      sku: "A-1",
      bracket: "Ada",
      whole: event,
    });
    expect(out.warnings).toEqual([]);
  });

  it("wildcards and recursive descent give arrays", () => {
    const out = render({ skus: "$.payload.items[*].sku", qtys: "$..qty", one: "$.payload.items[0:1].sku" });
    expect(out.value).toEqual({ skus: ["A-1", "B-2"], qtys: [2, 1], one: ["A-1"] });
  });

  it("a missing path renders null with a warning", () => {
    const out = render({ a: "$.payload.missing", b: "$.payload.items[5].sku", c: "$.payload.nothing" });
    expect(out.value).toEqual({ a: null, b: null, c: null });
    expect(out.warnings).toEqual([
      "Missing event path $.payload.missing (rendered as null)",
      "Missing event path $.payload.items[5].sku (rendered as null)",
    ]);
  });

  it("refuses script and filter expressions (eval is disabled)", () => {
    for (const path of ["$.payload.items[?(@.qty > 1)]", "$.payload.items[(@.length-1)]"]) {
      const error = errorOf(() => render({ x: path }));
      expect(error.code).toBe("INVALID_MAPPING");
      expect(error.message).toMatch(/script or filter/);
    }
    expect(validateMapping({ x: "$..items[?(@.constructor)]" })).toHaveLength(1);
  });

  it("does not reach into prototypes", () => {
    const out = render({ a: "$.payload.constructor", b: "$.payload.customer.__proto__", c: "$.payload.toString" });
    expect(out.value).toEqual({ a: null, b: null, c: null });
  });

  it("bounds recursive descent", () => {
    expect(errorOf(() => render({ x: "$..items..sku" })).code).toBe("LIMIT_EXCEEDED");
  });

  it("property: the direct walk of a definite path agrees with jsonpath-plus", () => {
    const key = fc.constantFrom("a", "b", "0", "1", "length", "__proto__", "constructor", "x y", "toString");
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(key, { minLength: 1, maxLength: 4 }), (payload, keys) => {
        const e = { ...event, payload: JSON.parse(JSON.stringify({ v: payload })) };
        const path = `$.payload.v${keys.map((k) => `['${k}']`).join("")}`;
        const expected = JSONPath({ path, json: e, eval: false, wrap: true }) as unknown[];
        const out = renderMapping({ x: path }, { event: e, secrets });
        expect(out.value).toEqual({ x: expected.length ? expected[0] : null });
        expect(out.warnings.length).toBe(expected.length ? 0 : 1);
      }),
      { numRuns: 1_000 },
    );
  });

  it("recognises JSONPath strings exactly", () => {
    expect(isJsonPath("$.a")).toBe(true);
    expect(isJsonPath("$['a']")).toBe(true);
    expect(isJsonPath("$")).toBe(true);
    expect(isJsonPath("$5.00")).toBe(false);
    expect(isJsonPath("costs $.a")).toBe(false);
    expect(render({ price: "$5.00" }).value).toEqual({ price: "$5.00" });
  });
});

describe("templates", () => {
  it("interpolate event paths and secrets, without HTML escaping", () => {
    const out = render({
      text: "Order <<event.payload.orderId>> for <<event.payload.customer.name>> (<<event.payload.items.1.sku>>)",
      html: "<<event.payload.customer.email>> & <b>",
      auth: "Bearer <<secret.token>>",
      object: "c=<<event.payload.customer>>",
      number: "<<event.payload.total>>",
      triple: "<<{event.name}>>|<<&event.name>>|<< event.name >>",
    });
    expect(out.value).toEqual({
      text: "Order ord_42 for Ada (B-2)",
      html: "ada@example.com & <b>",
      auth: "Bearer tok-SECRET-123",
      object: `c=${JSON.stringify({ name: "Ada", email: "ada@example.com" })}`,
      number: "12.5",
      triple: "order.created|order.created|order.created",
    });
    expect(out.redacted).toMatchObject({ auth: `Bearer ${SECRET_MASK}` });
    expect(out.secretsUsed).toEqual(["token"]);
  });

  it("accept the older {{…}} spelling and leave other braces alone", () => {
    const out = render({
      a: "{{event.payload.orderId}} / {{secret.apiKey}} / {{{event.name}}}",
      whatsapp: "Hello {{1}}, your order {{event.payload.orderId}}",
      mixed: "<<event.id>>-{{event.id}}",
    });
    expect(out.value).toEqual({
      a: "ord_42 / key-SECRET-456 / order.created",
      whatsapp: "Hello {{1}}, your order ord_42",
      mixed: "evt_01-evt_01",
    });
    expect(out.redacted).toMatchObject({ a: `ord_42 / ${SECRET_MASK} / order.created` });
  });

  it("a missing event path renders empty with a warning", () => {
    const out = render({
      a: "x<<event.payload.nope>>y",
      b: "{{event.payload.items.9}}",
      c: "<<event.payload.nothing>>",
    });
    expect(out.value).toEqual({ a: "xy", b: "", c: "" });
    expect(out.warnings).toHaveLength(2);
  });

  it("a missing secret is an error naming it, or a warning in preview mode", () => {
    const error = errorOf(() => render({ a: "<<secret.nope>>" }));
    expect(error.code).toBe("MISSING_SECRET");
    expect(error.message).toContain('"nope"');
    const out = render({ a: "k=<<secret.nope>>" }, { missingSecret: "warn" });
    expect(out.value).toEqual({ a: "k=" });
    expect(out.warnings[0]).toMatch(/Secret "nope" is not set/);
  });

  it("does not resolve secrets from the prototype", () => {
    expect(errorOf(() => render({ a: "<<secret.constructor>>" })).code).toBe("MISSING_SECRET");
    expect(render({ a: "<<event.constructor>>" }).value).toEqual({ a: "" });
  });

  it("rejects unknown roots, sections and partials", () => {
    for (const t of [
      "<<payload.x>>",
      "<<#event.payload.items>>x<</event.payload.items>>",
      "<<> partial>>",
      "<<secret>>",
    ]) {
      expect(errorOf(() => render({ t })).code).toBe("INVALID_MAPPING");
    }
    expect(errorOf(() => render({ t: "a << b" })).code).toBe("INVALID_MAPPING");
    expect(validateMapping({ t: "<<foo>>", u: "<<event.x>>", v: ["$.a[?(@)]"] })).toHaveLength(2);
  });
});

describe("safety", () => {
  it("never renders text that came from the event (no second pass)", () => {
    const hostile: EventEnvelope = {
      ...event,
      payload: { note: "<<secret.token>> {{secret.apiKey}} {{{secret.token}}} $.payload" },
    };
    const out = renderMapping(
      { a: "$.payload.note", b: "<<event.payload.note>>", c: "{{event.payload.note}}" },
      { event: hostile, secrets },
    );
    const text = JSON.stringify(out.value);
    expect(text).not.toContain(secrets.token);
    expect(text).not.toContain(secrets.apiKey);
    const note = "<<secret.token>> {{secret.apiKey}} {{{secret.token}}} $.payload";
    expect(out.value).toEqual({ a: note, b: note, c: note });
  });

  it("property: no event content ever reveals a secret", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (payload, note) => {
        const e = { ...event, payload: { data: payload, note: `<<secret.token>>${note}{{secret.token}}` } };
        const out = renderMapping(
          { a: "$.payload", b: "<<event.payload.note>>", c: "{{event.payload.data}}", d: "$..note" },
          { event: e, secrets: { token: "ZZ-secret-ZZ" } },
        );
        expect(JSON.stringify(out.value)).not.toContain("ZZ-secret-ZZ");
      }),
      { numRuns: 300 },
    );
  });

  it("keys named __proto__ do not pollute prototypes", () => {
    const mapping = JSON.parse(
      '{"__proto__": {"polluted": "yes"}, "a": {"__proto__": "$.id"}, "constructor": {"prototype": {"x": 1}}}',
    );
    const out = render(mapping);
    expect(({} as any).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out.value)).toBe(Object.prototype);
    expect((out.value as any).polluted).toBeUndefined();
    expect(JSON.stringify(out.value)).toBe(
      '{"__proto__":{"polluted":"yes"},"a":{"__proto__":"evt_01"},"constructor":{"prototype":{"x":1}}}',
    );
    const e = { ...event, payload: JSON.parse('{"__proto__": {"polluted": "yes"}}') };
    expect(
      renderMapping({ a: "<<event.payload.__proto__.polluted>>", b: "$.payload.__proto__" }, { event: e, secrets })
        .value,
    ).toEqual({
      a: "yes",
      b: { polluted: "yes" },
    });
    expect(({} as any).polluted).toBeUndefined();
  });

  it("bounds work on hostile mappings and events", () => {
    let deep: unknown = "x";
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(errorOf(() => render(deep)).code).toBe("LIMIT_EXCEEDED");
    expect(errorOf(() => render(Array.from({ length: 20_000 }, () => 1))).code).toBe("LIMIT_EXCEEDED");
    expect(errorOf(() => render(`${"a".repeat(100_000)}<<event.id>>`)).code).toBe("LIMIT_EXCEEDED");
    // Amplification: a 1 MB event string copied many times.
    const big = { ...event, payload: { s: "x".repeat(1_000_000) } };
    const started = performance.now();
    expect(
      errorOf(() =>
        renderMapping(
          Array.from({ length: 50 }, () => "$.payload.s"),
          { event: big, secrets },
        ),
      ).code,
    ).toBe("LIMIT_EXCEEDED");
    expect(
      errorOf(() =>
        renderMapping(
          Array.from({ length: 50 }, () => "<<event.payload.s>>"),
          { event: big, secrets },
        ),
      ).code,
    ).toBe("LIMIT_EXCEEDED");
    expect(performance.now() - started).toBeLessThan(2_000);
    // A very deep event: a clear error, not a crash.
    let nested: unknown = 1;
    for (let i = 0; i < 200_000; i++) nested = [nested];
    const deepEvent = { ...event, payload: nested };
    expect(errorOf(() => renderMapping({ a: "$..x" }, { event: deepEvent, secrets })).code).toBe("LIMIT_EXCEEDED");
    expect(errorOf(() => renderMapping({ a: "<<event.payload>>" }, { event: deepEvent, secrets })).code).toBe(
      "LIMIT_EXCEEDED",
    );
  });

  it("caps warnings", () => {
    const mapping = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`k${i}`, `$.payload.m${i}`]));
    const out = render(mapping);
    expect(out.warnings).toHaveLength(51);
    expect(out.warnings.at(-1)).toBe("…and 30 more warnings");
  });

  it("property: scalars and plain strings pass through unchanged", () => {
    const plain = fc.jsonValue().filter((v) => !JSON.stringify(v).match(/<<|\{\{|"\$/));
    fc.assert(
      fc.property(plain, (value) => {
        expect(render(value).value).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it("property: any string renders or fails with a MappingError, never anything else", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom("<", ">", "{", "}", "$", ".", "[", "]", "e", "s", "?", "(", "@", " "),
          maxLength: 40,
        }),
        (text) => {
          try {
            render({ t: text }, { missingSecret: "warn" });
          } catch (error) {
            expect(error).toBeInstanceOf(MappingError);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe("secretReferences", () => {
  it("lists the secret names templates refer to", () => {
    expect(
      secretReferences({ a: "<<secret.b>> {{secret.a}}", c: ["<<secret.b>>", "$.x"] }, "Bearer <<secret.token>>"),
    ).toEqual(["a", "b", "token"]);
  });
});
