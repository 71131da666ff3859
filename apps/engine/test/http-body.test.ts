import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { events } from "@ib/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConnector, uniqueEventName } from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine } from "./harness.ts";

// Over a real Node HTTP server (the other tests go through app.request): the ingest routes read the body from
// Node's stream, and the body limit checks a declared length from the header and counts a chunked body.
describe("request bodies over the Node server", () => {
  let engine: TestEngine;
  let server: ReturnType<typeof serve>;
  let port: number;
  beforeAll(async () => {
    engine = await startTestEngine("pglite", { IB_MAX_EVENT_BYTES: "2048", IB_MAX_BATCH_BYTES: "8192" });
    server = serve({ fetch: engine.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await engine?.close();
  });

  /** POST `chunks` as the body, with a Content-Length or (chunked: true) without one. */
  function post(path: string, chunks: Buffer[], options: { chunked?: boolean } = {}) {
    return new Promise<{ status: number; json: any }>((resolve, reject) => {
      const length = chunks.reduce((n, c) => n + c.length, 0);
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port,
          path,
          method: "POST",
          headers: {
            authorization: `Bearer ${engine.tokens.ingest}`,
            "content-type": "application/json",
            ...(options.chunked ? {} : { "content-length": String(length) }),
          },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on("data", (d: Buffer) => parts.push(d));
          res.on("end", () => {
            const text = Buffer.concat(parts).toString("utf8");
            resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined });
          });
        },
      );
      req.on("error", reject);
      (async () => {
        for (const chunk of chunks) {
          req.write(chunk);
          await new Promise((r) => setTimeout(r, 5));
        }
        req.end();
      })();
    });
  }

  it("reads an event sent in pieces, a multi-byte character split between two of them, with or without a length", async () => {
    const name = uniqueEventName("body");
    const connector = await createConnector(engine, { url: "http://127.0.0.1:9/unused", sourceEvent: name });
    for (const chunked of [false, true]) {
      const body = Buffer.from(JSON.stringify({ name, payload: { city: "São Paulo €" } }));
      const cut = body.indexOf(Buffer.from("€")) + 1; // inside the euro sign's three bytes
      const res = await post("/v1/events", [body.subarray(0, cut), body.subarray(cut)], { chunked });
      expect(res.status).toBe(202);
      expect(res.json.deliveries.map((d: { connectorId: string }) => d.connectorId)).toEqual([connector.id]);
      const [row] = await engine.ctx.db.select().from(events).where(eq(events.id, res.json.id));
      expect(row?.payload).toEqual({ city: "São Paulo €" });
    }
  });

  it("refuses a body over the limit with 413 and the error envelope, declared or streamed, storing nothing", async () => {
    const name = uniqueEventName("big");
    const big = Buffer.from(JSON.stringify({ name, payload: { text: "x".repeat(4000) } }));
    for (const chunked of [false, true]) {
      const res = await post("/v1/events", [big.subarray(0, 1000), big.subarray(1000)], { chunked });
      expect(res.status).toBe(413);
      expect(res.json.error).toMatchObject({
        code: "PAYLOAD_TOO_LARGE",
        message: "Request body is larger than 2048 bytes",
      });
      expect(typeof res.json.error.requestId).toBe("string");
    }
    const batch = Buffer.from(
      JSON.stringify({ events: Array.from({ length: 10 }, () => ({ name, payload: { text: "y".repeat(1000) } })) }),
    );
    const refused = await post("/v1/events/batch", [batch], { chunked: true });
    expect(refused.status).toBe(413);
    expect(refused.json.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await engine.ctx.db.select().from(events).where(eq(events.name, name))).toEqual([]);
  });

  it("takes a batch over the Node server", async () => {
    const name = uniqueEventName("batch");
    const body = Buffer.from(
      JSON.stringify({
        events: [
          { name, payload: { n: 1 } },
          { name, payload: { n: 2 } },
        ],
      }),
    );
    const res = await post("/v1/events/batch", [body]);
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ accepted: 2, rejected: 0 });
  });
});
