import { describe, expect, it } from "vitest";
import { connectorJsonSchema } from "../lib/connector-json-schema";

type Node = Record<string, any>;

/** The alternatives a property's JSON Schema allows, flattened through anyOf/oneOf. */
function alternatives(node: Node): Node[] {
  const inner = (node.anyOf ?? node.oneOf) as Node[] | undefined;
  return inner ? inner.flatMap(alternatives) : [node];
}

describe("the Edit-as-JSON schema", () => {
  const schema = connectorJsonSchema() as Node;
  const connector = schema.$defs.ConnectorInput as Node;

  it("has filter, closed to unknown fields, with the rule groups, not, an expression and null", () => {
    expect(connector.additionalProperties).toBe(false);
    const kinds = alternatives(connector.properties.filter).map((alt) =>
      alt.type === "null" ? "null" : (alt.required as string[]).join(),
    );
    expect([...new Set(kinds)].sort()).toEqual(["all", "any", "expression", "not", "null"]);
    const expression = alternatives(connector.properties.filter).find((alt) => alt.required?.[0] === "expression")!;
    const pattern = new RegExp(expression.properties.expression.pattern);
    expect(pattern.test("{% payload.amount > 1000 %}")).toBe(true);
    expect(pattern.test("payload.amount > 1000")).toBe(false);
  });

  it("is built afresh from the engine's schema (no cache to go stale)", () => {
    expect(connectorJsonSchema()).not.toBe(connectorJsonSchema());
    expect(connectorJsonSchema()).toEqual(schema);
  });
});
