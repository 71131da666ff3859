import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { systemContext } from "../../context.ts";
import { jsonContent } from "../../lib/openapi.ts";
import { buildAsyncApi } from "../../verbs/catalog/build-asyncapi.ts";

const route = createRoute({
  method: "get",
  path: "/asyncapi.json",
  tags: ["Event catalog"],
  summary: "The event catalog as an AsyncAPI 3.0 document (open, like /openapi.json)",
  description:
    "One channel and message per event type (payload: its JSON Schema, or its Avro schema with schemaFormat " +
    "`application/vnd.apache.avro+json;version=1.9.0`), one `send` operation per enabled connector. Give it to " +
    "the teams that produce or consume the events. It holds no destination, mapping or secret.",
  responses: {
    200: jsonContent(
      z.record(z.string(), z.unknown()).openapi({
        example: { asyncapi: "3.0.0", info: { title: "Integration Builder events", version: "0.1.0" } },
      }),
      "The AsyncAPI document",
    ),
  },
});

export const asyncApiRoute = createRouter().openapi(route, async (c) => {
  const url = new URL(c.req.url);
  const forwarded = c.req.header("x-forwarded-proto");
  const protocol = (forwarded ?? url.protocol.replace(":", "")) === "https" ? "https" : "http";
  // Open route (no token): the engine itself reads the catalog.
  const document = await buildAsyncApi({
    ctx: systemContext(c.var.ctx, c.var.requestId),
    input: { host: url.host, protocol },
  });
  return c.json(document, 200);
});
