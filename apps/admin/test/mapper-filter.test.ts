import { compileFilter } from "@ib/core/filters";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type FilterForm,
  filterFromForm,
  formFromFilter,
  listFromText,
  OPERATORS,
} from "../app/(app)/connectors/_components/mapper/filter-rows";

const withoutIds = (form: FilterForm) => JSON.parse(JSON.stringify(form, (k, v) => (k === "id" ? undefined : v)));

function formOf(filter: unknown): FilterForm {
  const out = formFromFilter(filter);
  if ("reason" in out) throw new Error(out.reason);
  return out.form;
}

const path = fc.constantFrom("$.payload.country", "$.payload.amount", "$.name", "$.payload['odd key']");
const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null));
const rule = fc.oneof(
  fc.record({
    path,
    op: fc.constantFrom(...OPERATORS.map((o) => o.op).filter((op) => op !== "in" && op !== "nin" && op !== "exists")),
    value: scalar,
  }),
  fc.record({ path, op: fc.constantFrom("in", "nin"), value: fc.array(fc.integer(), { minLength: 1, maxLength: 3 }) }),
  fc.record({
    path,
    op: fc.constantFrom("in", "nin"),
    value: fc.array(fc.stringMatching(/^[A-Z]{2}$/), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ path, op: fc.constant("exists") }),
  fc.record({ path, op: fc.constant("exists"), value: fc.boolean() }),
);
const filter = fc.oneof(
  fc.constant(null),
  fc.record({ all: fc.array(rule, { minLength: 1, maxLength: 4 }) }),
  fc.record({ any: fc.array(rule, { minLength: 1, maxLength: 4 }) }),
  fc.constantFrom({ expression: "{% payload.amount > 10 %}" }),
);

describe("filter ⇄ form", () => {
  it("round trip: form → filter → form is the identity for every filter the form shows", () => {
    fc.assert(
      fc.property(filter, (f) => {
        const form = formOf(f);
        const written = filterFromForm(form);
        expect(written.problems).toEqual({});
        expect(JSON.stringify(written.filter)).toBe(JSON.stringify(f));
        expect(withoutIds(formOf(written.filter))).toEqual(withoutIds(form));
      }),
      { numRuns: 300 },
    );
  });

  it("builds a filter the engine applies as the form reads", async () => {
    const form: FilterForm = {
      mode: "all",
      rules: [
        {
          id: "a",
          path: "$.payload.country",
          op: "in",
          value: { type: "list", of: "text", items: listFromText("BR, AR", "text") },
        },
        { id: "b", path: "$.payload.amount", op: "gte", value: { type: "scalar", value: 100 } },
      ],
    };
    const compiled = compileFilter(filterFromForm(form).filter);
    const event = (country: string, amount: number) => ({
      id: "e",
      name: "n",
      source: null,
      time: "2026-01-01T00:00:00Z",
      payload: { country, amount },
    });
    expect((await compiled.test(event("BR", 150))).matched).toBe(true);
    const rejected = await compiled.test(event("US", 150));
    expect(rejected.matched).toBe(false);
    expect(rejected.reason).toContain("$.payload.country");
  });

  it("says why a filter is edited as JSON, and names a rule it cannot write yet", () => {
    const reason = (f: unknown) => {
      const out = formFromFilter(f);
      return "reason" in out ? out.reason : null;
    };
    expect(reason({ not: { path: "$.a", op: "exists" } })).toMatch(/not/);
    expect(reason({ all: [{ any: [{ path: "$.a", op: "exists" }] }] })).toMatch(/nested/);
    expect(reason({ all: [{ path: "$.a", op: "in", value: ["a,b"] }] })).toMatch(/cannot be edited/);
    const written = filterFromForm({
      mode: "any",
      rules: [
        { id: "x", path: "", op: "eq", value: { type: "scalar", value: 1 } },
        { id: "y", path: "$.a", op: "eq", value: { type: "none" } },
      ],
    });
    expect(written.filter).toBeNull();
    expect(Object.keys(written.problems)).toEqual(["x", "y"]);
  });
});
