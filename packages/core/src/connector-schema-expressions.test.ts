import { describe, expect, it } from "vitest";
import { ConnectorInputSchema, connectorSecretNames } from "./connector-schema.ts";

const valid = {
  name: "Orders to ERP",
  sourceEvent: "order.created",
  destination: { url: "https://erp.example.com/orders", method: "POST" },
  mapping: { orderId: "$.payload.orderId" },
};

function issues(input: unknown): { path: string; message: string }[] {
  const result = ConnectorInputSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

describe("ConnectorInputSchema: expressions and filters", () => {
  it("accepts expressions in the mapping, URL, headers and query, and a filter", () => {
    const parsed = ConnectorInputSchema.parse({
      ...valid,
      destination: {
        url: "{% 'https://erp.example.com/orders/' & payload.orderId %}",
        method: "POST",
        headers: { Authorization: "{% 'Basic ' & $base64encode($secret('user') & ':' & $secret('pass')) %}" },
        query: { day: "{% $formatDate(time, '[Y0001]-[M01]-[D01]', 'America/Sao_Paulo') %}" },
      },
      mapping: {
        amount: "{% $round(payload.total / 100, 2) %}",
        multiLine: "{%\n  payload.items.{\n    'sku': sku\n  }\n%}",
        plain: "$.payload.orderId",
        templated: "Order <<event.payload.orderId>>",
      },
      filter: { all: [{ path: "$.payload.country", op: "in", value: ["BR", "AR"] }] },
    });
    expect(parsed.filter).toEqual({ all: [{ path: "$.payload.country", op: "in", value: ["BR", "AR"] }] });
    expect(ConnectorInputSchema.parse({ ...valid, filter: null }).filter).toBeNull();
  });

  it("a syntax error names the field path and the character position", () => {
    expect(issues({ ...valid, mapping: { customer: { name: "{% payload.first & %}" } } })).toEqual([
      { path: "mapping.customer.name", message: expect.stringMatching(/^syntax error at character \d+: /) },
    ]);
    expect(issues({ ...valid, mapping: { lines: [{ sku: "{% sku( %}" }] } })[0]?.path).toBe("mapping.lines.0.sku");
    const header = issues({
      ...valid,
      destination: { ...valid.destination, headers: { "X-Total": "{% payload.total + %}" } },
    });
    expect(header[0]?.path).toBe("destination.headers.X-Total");
  });

  it("an unknown function, $eval and an expression over 16 KiB are refused", () => {
    expect(issues({ ...valid, mapping: { a: "{% $toUpper(name) %}" } })).toEqual([
      { path: "mapping.a", message: "unknown function $toUpper (at character 4)" },
    ]);
    expect(issues({ ...valid, mapping: { a: "{% $eval(payload.x) %}" } })[0]?.message).toMatch(/not allowed/);
    const long = `{% '${"x".repeat(16 * 1024)}' %}`;
    expect(issues({ ...valid, mapping: { a: long } })).toEqual([
      { path: "mapping.a", message: expect.stringMatching(/characters long; the limit is 16384/) },
    ]);
  });

  it("a bad filter is refused naming the field", () => {
    expect(issues({ ...valid, filter: { all: [{ path: "$.payload.x", op: "matches", value: 1 }] } })[0]?.path).toBe(
      "filter.all.0.op",
    );
    expect(issues({ ...valid, filter: { any: [{ path: "country", op: "eq", value: "BR" }] } })[0]?.path).toBe(
      "filter.any.0.path",
    );
    expect(issues({ ...valid, filter: { all: [{ path: "$.payload.x", op: "in", value: "BR" }] } })[0]?.path).toBe(
      "filter.all.0.value",
    );
    expect(issues({ ...valid, filter: { expression: "{% payload.( %}" } })[0]?.path).toBe("filter.expression");
  });

  it("JSONPath strings and <<…>> templates keep working unchanged", () => {
    expect(issues(valid)).toEqual([]);
    expect(issues({ ...valid, mapping: { a: "<<payload.x>>" } })[0]?.path).toBe("mapping.a");
    expect(issues({ ...valid, mapping: { a: "text {% not an expression" } })).toEqual([]);
  });

  it("connectorSecretNames finds $secret('…') in expressions", () => {
    expect(
      connectorSecretNames({
        destination: { url: "https://a.example", headers: { A: "{% $secret('apiKey') %}" } },
        mapping: { b: "{% $hmacSha256(payload.id, $secret('signKey')) %}", c: "<<secret.token>>" },
      }),
    ).toEqual(["apiKey", "signKey", "token"]);
  });
});
