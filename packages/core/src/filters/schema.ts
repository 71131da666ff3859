import { z } from "zod";
import { FILTER_LIMITS, FILTER_OPS, filterProblems } from "./rules.ts";

/**
 * `filter` as the connector API accepts it. Checked by {@link filterProblems}, so an unknown op, a path that
 * is not a JSONPath, a list-less `in`, nesting past 8 levels or a bad expression is a 400 naming the field
 * (`filter.all.1.op`). The JSON Schema below (for OpenAPI and the admin's JSON editor) gives the shape.
 */

const group = (key: "all" | "any") => ({
  type: "object",
  properties: { [key]: { type: "array", minItems: 1, items: { type: "object" } } },
  required: [key],
  additionalProperties: false,
});

export const RULE_JSON_SCHEMA = {
  type: "object",
  properties: {
    path: { type: "string", pattern: "^\\$", description: "A JSONPath into the event, e.g. $.payload.country" },
    op: { type: "string", enum: [...FILTER_OPS] },
    value: { description: "A list for in / nin; a number or string for gt, gte, lt, lte; true/false for exists" },
  },
  required: ["path", "op"],
  additionalProperties: false,
} as const;

export const FilterSchema = z
  .unknown()
  .superRefine((filter, ctx) => {
    for (const problem of filterProblems(filter))
      ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
  })
  .meta({
    description:
      `Which events with the name this connector takes (null: all). Rules: {"all"|"any": [rule or group…]}, ` +
      `a rule being {path, op, value} with op one of ${FILTER_OPS.join(", ")}, a group a nested ` +
      `{"all"|"any"|"not": …} (at most ${FILTER_LIMITS.maxDepth} levels); or {"expression": "{% … %}"}, JSONata ` +
      "over the event that must give a true value. Evaluated at ingest: an event it rejects creates no delivery.",
    anyOf: [
      group("all"),
      group("any"),
      { type: "object", properties: { not: { type: "object" } }, required: ["not"], additionalProperties: false },
      {
        type: "object",
        properties: { expression: { type: "string", pattern: "^\\{%[\\s\\S]*%\\}$" } },
        required: ["expression"],
        additionalProperties: false,
      },
      { type: "null" },
    ],
    example: {
      all: [
        { path: "$.payload.country", op: "eq", value: "BR" },
        { path: "$.payload.amount", op: "gte", value: 100 },
      ],
    },
  });
