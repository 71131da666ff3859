import { createRoute } from "@hono/zod-openapi";
import {
  EventFormatError,
  isCloudEventBatch,
  isJsonMediaType,
  mediaType,
  parseJson,
  parseJsonEvent,
} from "@ib/core/cloudevents";
import type { SchemaWarning } from "@ib/core/contracts/catalog";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ApiError } from "../../lib/errors.ts";
import { errorResponses, jsonContent } from "../../lib/openapi.ts";
import { requestText } from "../../lib/request-body.ts";
import { checkEventSchemas } from "../../verbs/catalog/check-event-schema.ts";
import { type IngestItem, ingestEvents } from "../../verbs/events/ingest-events.ts";
import { BatchResultSchema, CloudEventDoc, SimpleEventDoc } from "./schema.ts";

export const MAX_BATCH_EVENTS = 500;

const route = createRoute({
  method: "post",
  path: "/v1/events/batch",
  tags: ["Events"],
  summary: `Ingest up to ${MAX_BATCH_EVENTS} events at once, with a result per item`,
  description:
    'Body: a JSON array of events (simple or structured CloudEvents, mixed), `{ "events": [...] }`, or a CloudEvents ' +
    "batch (`application/cloudevents-batch+json`). Valid items are stored in one transaction; an invalid item is " +
    "reported in its result (status 400 or 413) without stopping the others; so is one the event catalog refuses " +
    "(`enforce`: 400 SCHEMA_VALIDATION_FAILED with details.issues), and one it flags (`warn`) carries `warnings`.",
  ...guard("events.ingest"),
  request: {
    body: {
      required: true,
      content: {
        "application/json": { schema: { type: "array", maxItems: MAX_BATCH_EVENTS, items: SimpleEventDoc } as never },
        "application/cloudevents-batch+json": { schema: { type: "array", items: CloudEventDoc } as never },
      },
    },
  },
  responses: {
    202: jsonContent(BatchResultSchema, "A result per item, in order"),
    ...errorResponses(400, 401, 403, 413, 415),
  },
});

type ItemResult = {
  index: number;
  status: number;
  id?: string;
  deliveries?: { id: string; connectorId: string }[];
  duplicate?: boolean;
  error?: { code: string; message: string; details?: Record<string, unknown> };
  warnings?: SchemaWarning[];
};

export const ingestBatchRoute = createRouter().openapi(route, async (c) => {
  const ctx = serviceContext(c);
  const { env } = ctx.app;
  const contentType = c.req.header("content-type");
  if (!isCloudEventBatch(contentType) && !isJsonMediaType(mediaType(contentType))) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send application/json or application/cloudevents-batch+json");
  }
  const text = await requestText(c, env.IB_MAX_BATCH_BYTES);
  let body: unknown;
  try {
    body = parseJson(text);
  } catch (error) {
    throw new ApiError("VALIDATION_FAILED", (error as Error).message);
  }
  const list = Array.isArray(body)
    ? body
    : body && typeof body === "object" && Array.isArray((body as { events?: unknown }).events)
      ? (body as { events: unknown[] }).events
      : undefined;
  if (!list) throw new ApiError("VALIDATION_FAILED", 'The body must be an array of events or { "events": [...] }');
  if (list.length === 0) throw new ApiError("VALIDATION_FAILED", "The batch is empty");
  if (list.length > MAX_BATCH_EVENTS) {
    throw new ApiError("VALIDATION_FAILED", `A batch holds at most ${MAX_BATCH_EVENTS} events (got ${list.length})`);
  }

  const results: ItemResult[] = list.map((_, index) => ({ index, status: 0 }));
  const items: IngestItem[] = [];
  const itemIndex: number[] = [];
  for (const [index, raw] of list.entries()) {
    const size = Buffer.byteLength(JSON.stringify(raw) ?? "");
    if (size > env.IB_MAX_EVENT_BYTES) {
      results[index] = {
        index,
        status: 413,
        error: { code: "PAYLOAD_TOO_LARGE", message: `Event is larger than ${env.IB_MAX_EVENT_BYTES} bytes` },
      };
      continue;
    }
    try {
      items.push({ event: parseJsonEvent(raw) });
      itemIndex.push(index);
    } catch (error) {
      if (!(error instanceof EventFormatError)) throw error;
      results[index] = { index, status: 400, error: { code: "VALIDATION_FAILED", message: error.message } };
    }
  }
  // The event catalog refuses (enforce) or flags (warn) each item on its own.
  const checks = await checkEventSchemas({ ctx, input: { events: items.map((i) => i.event) } });
  const kept = items.flatMap((item, i) => {
    const [check, index] = [checks[i]!, itemIndex[i]!];
    if (!("warnings" in check)) {
      results[index] = {
        index,
        status: 400,
        error: { code: "SCHEMA_VALIDATION_FAILED", message: check.message, details: check.details },
      };
      return [];
    }
    return [{ item: { ...item, schemaValid: check.schemaValid }, index, warnings: check.warnings }];
  });
  const ingested = await ingestEvents({ ctx, input: { items: kept.map((k) => k.item) } });
  for (const [i, r] of ingested.entries()) {
    const { index, warnings } = kept[i]!;
    results[index] = { index, status: r.duplicate ? 200 : 202, ...r, ...(warnings.length > 0 ? { warnings } : {}) };
  }
  return c.json(
    {
      results,
      accepted: results.filter((r) => r.status === 202).length,
      duplicates: results.filter((r) => r.status === 200).length,
      rejected: results.filter((r) => r.status >= 400).length,
    },
    202,
  );
});
