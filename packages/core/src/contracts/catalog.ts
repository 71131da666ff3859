import { z } from "zod";
import { isValidEventName } from "../event-match.ts";

/**
 * The event catalog (DESIGN §11): one entry per event name with the schema its payload is checked
 * against at ingest. `GET …/event-types` also lists names seen at ingest with no entry (`defined: false`).
 */

export const SCHEMA_FORMATS = ["json-schema", "avro"] as const;
export const SchemaFormatSchema = z.enum(SCHEMA_FORMATS).meta({
  description: "`json-schema` (draft 2020-12, formats checked) or `avro` (an Avro record schema, JSON form)",
  example: "json-schema",
});
export type SchemaFormat = z.infer<typeof SchemaFormatSchema>;

export const VALIDATION_MODES = ["off", "warn", "enforce"] as const;
export const ValidationModeSchema = z.enum(VALIDATION_MODES).meta({
  description:
    "At ingest: `enforce` refuses a payload that does not match (400 SCHEMA_VALIDATION_FAILED, nothing stored); " +
    "`warn` accepts it, answers with `warnings` and flags the event `schemaValid: false`; `off` does not check",
  example: "enforce",
});
export type ValidationMode = z.infer<typeof ValidationModeSchema>;

/** Largest schema accepted, as JSON text (a larger one answers 413). */
export const MAX_SCHEMA_BYTES = 256 * 1024;

export const EventTypeNameSchema = z
  .string()
  .min(1)
  .max(200)
  .refine(isValidEventName, "must be an exact event name: letters, digits and . _ - : /, like order.created")
  .meta({ example: "order.created" });

const EXAMPLE_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  required: ["orderId", "total"],
  properties: {
    orderId: { type: "string" },
    total: { type: "number", minimum: 0 },
    email: { type: "string", format: "email" },
  },
};

export const EventTypeInputSchema = z
  .object({
    name: EventTypeNameSchema,
    description: z.string().max(2000).nullish(),
    schemaFormat: SchemaFormatSchema.default("json-schema"),
    schema: z
      .unknown()
      .refine((v) => v !== undefined && v !== null, "is required (a JSON Schema or an Avro schema)")
      .meta({ description: "The schema itself (a JSON value), at most 256 KiB" }),
    validation: ValidationModeSchema.default("warn"),
    sample: z.unknown().optional().meta({ description: "An example payload; it must match the schema" }),
    version: z
      .number()
      .int()
      .min(1)
      .optional()
      .meta({ description: "Omit to create; to update, the version you read (a stale one answers 409)" }),
  })
  .strict()
  .meta({
    id: "EventTypeInput",
    example: {
      name: "order.created",
      description: "An order was placed",
      schemaFormat: "json-schema",
      schema: EXAMPLE_SCHEMA,
      validation: "enforce",
      sample: { orderId: "A-1001", total: 25.5, email: "ana@example.com" },
    },
  });
export type EventTypeInput = z.input<typeof EventTypeInputSchema>;

export const ObservedSchema = z.object({
  count: z.number().int().meta({ description: "Stored events with this name (within retention)", example: 1250 }),
  lastSeenAt: z.string().nullable().meta({ example: "2026-01-01T12:00:00.000Z" }),
});

export const EventTypeSchema = z
  .object({
    name: z.string(),
    defined: z.literal(true),
    description: z.string().nullable(),
    schemaFormat: SchemaFormatSchema,
    schema: z.unknown(),
    validation: ValidationModeSchema,
    sample: z.unknown().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    ...ObservedSchema.shape,
  })
  .meta({ id: "EventType" });
export type EventType = z.infer<typeof EventTypeSchema>;

/** One row of the catalog list: a defined type (without its schema) or a name only seen at ingest. */
export const EventTypeSummarySchema = z
  .object({
    name: z.string().meta({ example: "order.created" }),
    defined: z.boolean().meta({ description: "false: seen at ingest, no catalog entry yet" }),
    description: z.string().nullable(),
    schemaFormat: SchemaFormatSchema.nullable(),
    validation: ValidationModeSchema.nullable(),
    version: z.number().int().nullable(),
    updatedAt: z.string().nullable(),
    ...ObservedSchema.shape,
  })
  .meta({ id: "EventTypeSummary" });
export type EventTypeSummary = z.infer<typeof EventTypeSummarySchema>;

export const EventTypeListSchema = z
  .object({ eventTypes: z.array(EventTypeSummarySchema) })
  .meta({ id: "EventTypeList" });

/** "Create from observed": a JSON Schema inferred from stored payloads; nothing is saved. */
export const InferredEventTypeSchema = z
  .object({
    name: z.string(),
    schemaFormat: z.literal("json-schema"),
    schema: z.record(z.string(), z.unknown()),
    sample: z.unknown(),
    samples: z.number().int().meta({ description: "How many stored payloads the schema was inferred from" }),
  })
  .meta({ id: "InferredEventType" });
export type InferredEventType = z.infer<typeof InferredEventTypeSchema>;

/** Where a payload breaks its schema: `path` is dotted from the payload's root (`items.0.sku`, "" = root). */
export const SchemaIssueSchema = z
  .object({
    path: z.string().meta({ example: "items.0.sku" }),
    message: z.string().meta({ example: "must be string" }),
  })
  .meta({ id: "SchemaIssue" });
export type SchemaIssue = z.infer<typeof SchemaIssueSchema>;

/** What `warn` mode adds to an ingest answer. */
export const SchemaWarningSchema = z
  .object({
    code: z.literal("SCHEMA_VALIDATION_FAILED"),
    message: z.string().meta({ example: "The payload does not match order.created (version 3)" }),
    issues: z.array(SchemaIssueSchema),
  })
  .meta({ id: "SchemaWarning" });
export type SchemaWarning = z.infer<typeof SchemaWarningSchema>;
