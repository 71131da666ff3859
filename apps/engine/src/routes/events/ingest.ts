import { createRoute } from "@hono/zod-openapi";
import { EventFormatError, parseEventRequest } from "@ib/core/cloudevents";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ApiError } from "../../lib/errors.ts";
import { errorResponses, jsonContent } from "../../lib/openapi.ts";
import { requestText } from "../../lib/request-body.ts";
import { checkEventSchema } from "../../verbs/catalog/check-event-schema.ts";
import { ingestOne } from "../../verbs/events/ingest-coalescer.ts";
import { CloudEventDoc, IngestResultSchema, SimpleEventDoc } from "./schema.ts";

const route = createRoute({
  method: "post",
  path: "/v1/events",
  tags: ["Events"],
  summary: "Ingest one event (simple JSON or a CloudEvent, structured or binary)",
  description:
    "Stores the event and one delivery per enabled connector whose sourceEvent matches, in one transaction, and " +
    "answers 202 at once; the worker delivers asynchronously. The same id (or Idempotency-Key header when there is " +
    "no id) again answers 200 with the original deliveries and duplicate: true, creating nothing. A binary-mode " +
    "CloudEvent carries its attributes in ce-* headers (ce-specversion, ce-id, ce-source, ce-type) and its data as the body. " +
    "When the event catalog has a schema for the name: validation `enforce` refuses a payload that does not match " +
    "(400 SCHEMA_VALIDATION_FAILED with details.issues, nothing stored); `warn` stores it flagged and answers `warnings`.",
  ...guard("events.ingest"),
  request: {
    body: {
      required: true,
      content: {
        "application/json": { schema: SimpleEventDoc as never },
        "application/cloudevents+json": { schema: CloudEventDoc as never },
      },
    },
  },
  responses: {
    202: jsonContent(IngestResultSchema, "Accepted: the event is stored and its deliveries are queued"),
    200: jsonContent(IngestResultSchema, "Duplicate: the original answer, nothing new created"),
    ...errorResponses(400, 401, 403, 413, 415),
  },
});

export const ingestEventRoute = createRouter().openapi(route, async (c) => {
  const ctx = serviceContext(c);
  const key = c.req.header("idempotency-key")?.trim();
  if (key !== undefined && (key.length === 0 || key.length > 200)) {
    throw new ApiError("VALIDATION_FAILED", "Idempotency-Key must be 1 to 200 characters");
  }
  let event: ReturnType<typeof parseEventRequest>;
  try {
    event = parseEventRequest({
      contentType: c.req.header("content-type"),
      headers: c.req.header(),
      body: await requestText(c, ctx.app.env.IB_MAX_EVENT_BYTES),
    });
  } catch (error) {
    if (error instanceof EventFormatError) {
      throw new ApiError(
        error.code === "UNSUPPORTED_MEDIA_TYPE" ? "UNSUPPORTED_MEDIA_TYPE" : "VALIDATION_FAILED",
        error.message,
      );
    }
    throw error;
  }
  const { schemaValid, warnings } = await checkEventSchema({ ctx, input: event });
  const result = await ingestOne({ ctx, input: { event, idempotencyKey: key, schemaValid } });
  return c.json(warnings.length > 0 ? { ...result, warnings } : result, result.duplicate ? 200 : 202);
});
