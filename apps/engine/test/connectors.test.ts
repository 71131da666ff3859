import { auditLog, connectors, execute } from "@ib/db";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

const BASE = "/admin/integration-builder";

let counter = 0;
/** A connector body of its own for each test (its own event name). */
function connectorBody(patch: Record<string, unknown> = {}) {
  counter++;
  return {
    name: `Orders to ERP ${counter}`,
    sourceEvent: `order.created.t${counter}`,
    destination: {
      url: "https://erp.example.com/orders",
      method: "POST",
      headers: { "X-Api-Key": "<<secret.apiKey>>" },
    },
    mapping: { eventId: "$.id", orderId: "$.payload.orderId", auth: "Bearer <<secret.token>>" },
    timeoutMs: 10000,
    retryMaxAttempts: 5,
    retryBackoffBaseMs: 1000,
    ...patch,
  };
}

describe.each(testDrivers())("connectors on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver);
  });
  afterAll(async () => engine?.close());

  async function counts() {
    const [row] = await execute<{ c: number; a: number }>(
      engine.ctx.db,
      sql`select (select count(*)::int from connectors) as c, (select count(*)::int from audit_log) as a`,
    );
    return row;
  }

  async function create(patch: Record<string, unknown> = {}) {
    const res = await engine.api("PUT", `${BASE}/connectors`, { body: connectorBody(patch) });
    expect(res.status, res.text).toBe(201);
    return res.json;
  }

  describe("happy path", () => {
    it("creates with defaults, reads, lists, updates and deletes, auditing each change", async () => {
      const created = await create({ tags: { country: "BR" }, description: "to the ERP" });
      expect(created).toMatchObject({
        id: expect.stringMatching(/^con_/),
        enabled: true,
        version: 1,
        retryBackoffMaxMs: 3_600_000,
        circuitFailureThreshold: 10,
        circuitCooldownMs: 30_000,
        rateLimitPerSecond: null,
        maxInFlight: null,
        auth: null,
        preset: null,
        sampleEvent: null,
        destination: { bodyEncoding: "json", method: "POST" },
        tags: { country: "BR" },
        secrets: [],
      });

      const got = await engine.api("GET", `${BASE}/connectors/${created.id}`);
      expect(got.status).toBe(200);
      expect(got.json).toEqual(created);

      const listed = await engine.api("GET", `${BASE}/connectors?tag=country:BR`);
      expect(listed.json.connectors.map((c: { id: string }) => c.id)).toContain(created.id);
      const anyCountry = await engine.api("GET", `${BASE}/connectors?tag=country&limit=500`);
      expect(anyCountry.json.connectors.map((c: { id: string }) => c.id)).toContain(created.id);
      const none = await engine.api("GET", `${BASE}/connectors?tag=country:AR`);
      expect(none.json.connectors.map((c: { id: string }) => c.id)).not.toContain(created.id);

      const {
        id: _id,
        version: _v,
        createdAt: _c,
        updatedAt: _u,
        secrets: _s,
        disabledReason: _r,
        disabledAt: _a,
        ...fields
      } = created;
      const updated = await engine.api("PUT", `${BASE}/connectors`, {
        body: { ...fields, id: created.id, version: 1, enabled: false, timeoutMs: 2000 },
      });
      expect(updated.status, updated.text).toBe(200);
      expect(updated.json).toMatchObject({ id: created.id, version: 2, enabled: false, timeoutMs: 2000 });
      expect(updated.json.createdAt).toBe(created.createdAt);

      const disabled = await engine.api("GET", `${BASE}/connectors?enabled=false&limit=500`);
      expect(disabled.json.connectors.map((c: { id: string }) => c.id)).toContain(created.id);

      const deleted = await engine.api("DELETE", `${BASE}/connectors/${created.id}`);
      expect(deleted.status).toBe(200);
      expect(deleted.json).toMatchObject({ deleted: true, connector: { id: created.id, version: 2 } });
      expectEnvelope(await engine.api("GET", `${BASE}/connectors/${created.id}`), 404, "NOT_FOUND");

      const entries = await engine.ctx.db.select().from(auditLog).where(eq(auditLog.target, created.id));
      const byAction = Object.fromEntries(entries.map((e) => [e.action, e]));
      expect(Object.keys(byAction).sort()).toEqual(["connector.create", "connector.delete", "connector.update"]);
      const update = byAction["connector.update"]!;
      expect(update.actorRole).toBe("admin");
      expect(update.requestId).toMatch(/^req_/);
      expect(update.details).toMatchObject({
        changes: {
          enabled: { before: true, after: false },
          timeoutMs: { before: 10000, after: 2000 },
          version: { before: 1, after: 2 },
        },
      });
      expect(Object.keys((update.details as { changes: object }).changes).sort()).toEqual([
        "enabled",
        "timeoutMs",
        "version",
      ]);
      expect(byAction["connector.create"]!.details).toMatchObject({
        changes: { name: { before: null, after: created.name } },
      });
      expect(byAction["connector.delete"]!.details).toMatchObject({
        changes: { name: { before: created.name, after: null } },
      });
    });

    it("accepts every field, including auth, limits, preset and sampleEvent", async () => {
      const created = await create({
        enabled: false,
        sourceEvent: "payment.*",
        destination: {
          url: "https://api.example.com/x/<<event.payload.id>>",
          method: "PATCH",
          query: { a: "1" },
          bodyEncoding: "form",
        },
        auth: {
          type: "awsSigV4",
          region: "eu-west-1",
          service: "execute-api",
          accessKeyIdSecret: "awsKeyId",
          secretAccessKeySecret: "awsSecret",
        },
        retryBackoffMaxMs: 60_000,
        circuitFailureThreshold: 3,
        circuitCooldownMs: 5_000,
        rateLimitPerSecond: 2.5,
        maxInFlight: 4,
        preset: "generic",
        tags: { providerType: "payments" },
        sampleEvent: { name: "payment.confirmed", payload: { id: "p1" } },
      });
      expect(created).toMatchObject({
        auth: { type: "awsSigV4", region: "eu-west-1" },
        rateLimitPerSecond: 2.5,
        maxInFlight: 4,
        preset: "generic",
        sampleEvent: { name: "payment.confirmed", payload: { id: "p1" } },
        destination: { method: "PATCH", bodyEncoding: "form", query: { a: "1" } },
      });
      const byPreset = await engine.api("GET", `${BASE}/connectors?preset=generic`);
      expect(byPreset.json.connectors.map((c: { id: string }) => c.id)).toEqual([created.id]);
    });

    it("pages through the list with a cursor", async () => {
      const tag = `page${Date.now()}`;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await create({ tags: { batch: tag } })).id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { json: { connectors: { id: string }[]; nextCursor: string | null } } = await engine.api(
          "GET",
          `${BASE}/connectors?tag=batch:${tag}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        );
        seen.push(...res.json.connectors.map((c) => c.id));
        cursor = res.json.nextCursor;
      } while (cursor);
      expect(seen).toEqual(ids);
    });
  });

  describe("errors", () => {
    it("refuses a stale version with 409 and changes nothing", async () => {
      const created = await create();
      const body = { ...connectorBody(), id: created.id };
      expect((await engine.api("PUT", `${BASE}/connectors`, { body: { ...body, version: 1 } })).status).toBe(200);
      const before = await counts();
      const stale = await engine.api("PUT", `${BASE}/connectors`, {
        body: { ...body, name: "lost update", version: 1 },
      });
      expectEnvelope(stale, 409, "CONFLICT");
      expect(stale.json.error.details).toEqual({ currentVersion: 2 });
      const [row] = await engine.ctx.db.select().from(connectors).where(eq(connectors.id, created.id));
      expect(row?.name).not.toBe("lost update");
      expect(row?.version).toBe(2);
      expect(await counts()).toEqual(before);
    });

    it("lets exactly one of two racing updates win", async () => {
      const created = await create();
      const results = await Promise.all(
        ["a", "b"].map((n) =>
          engine.api("PUT", `${BASE}/connectors`, {
            body: { ...connectorBody(), id: created.id, version: 1, name: n },
          }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    });

    it("answers 404 for an unknown id on update, get and delete", async () => {
      const before = await counts();
      const unknown = "con_00000000000000000000000000";
      expectEnvelope(
        await engine.api("PUT", `${BASE}/connectors`, { body: { ...connectorBody(), id: unknown, version: 1 } }),
        404,
        "NOT_FOUND",
      );
      expectEnvelope(await engine.api("GET", `${BASE}/connectors/${unknown}`), 404, "NOT_FOUND");
      expectEnvelope(await engine.api("DELETE", `${BASE}/connectors/${unknown}`), 404, "NOT_FOUND");
      expectEnvelope(await engine.api("GET", `${BASE}/connectors/nope`), 404, "NOT_FOUND");
      expect(await counts()).toEqual(before);
    });

    const big = "x".repeat(1024 * 1024 + 10);
    const matrix: [string, { body?: unknown; raw?: string; headers?: Record<string, string> }, number][] = [
      ["malformed JSON", { raw: '{"name": "x",', headers: { "content-type": "application/json" } }, 400],
      ["not JSON at all", { raw: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" } }, 415],
      ["an empty body", { raw: "", headers: { "content-type": "application/json" } }, 400],
      ["a JSON array", { body: [connectorBody()] }, 400],
      ["no name", { body: connectorBody({ name: undefined }) }, 400],
      ["a numeric name", { body: connectorBody({ name: 42 }) }, 400],
      ["enabled as a string", { body: connectorBody({ enabled: "yes" }) }, 400],
      ["a wildcard in the middle", { body: connectorBody({ sourceEvent: "order.*.paid" }) }, 400],
      ["a relative URL", { body: connectorBody({ destination: { url: "/orders", method: "POST" } }) }, 400],
      [
        "an ftp:// URL",
        { body: connectorBody({ destination: { url: "ftp://erp.example.com/x", method: "POST" } }) },
        400,
      ],
      ["a file: URL", { body: connectorBody({ destination: { url: "file:///etc/passwd", method: "POST" } }) }, 400],
      [
        "an unknown method",
        { body: connectorBody({ destination: { url: "https://a.example", method: "TRACE" } }) },
        400,
      ],
      [
        "a bad header name",
        {
          body: connectorBody({ destination: { url: "https://a.example", method: "POST", headers: { "X Bad": "1" } } }),
        },
        400,
      ],
      [
        "an unknown body encoding",
        { body: connectorBody({ destination: { url: "https://a.example", method: "POST", bodyEncoding: "xml" } }) },
        400,
      ],
      ["timeoutMs too low", { body: connectorBody({ timeoutMs: 99 }) }, 400],
      ["timeoutMs too high", { body: connectorBody({ timeoutMs: 60_001 }) }, 400],
      ["retryMaxAttempts 0", { body: connectorBody({ retryMaxAttempts: 0 }) }, 400],
      ["retryMaxAttempts 51", { body: connectorBody({ retryMaxAttempts: 51 }) }, 400],
      ["retryBackoffBaseMs 9", { body: connectorBody({ retryBackoffBaseMs: 9 }) }, 400],
      ["retryBackoffBaseMs too high", { body: connectorBody({ retryBackoffBaseMs: 3_600_001 }) }, 400],
      ["a fractional attempt count", { body: connectorBody({ retryMaxAttempts: 2.5 }) }, 400],
      ["an unknown field", { body: connectorBody({ colour: "red" }) }, 400],
      ["a mapping with an unknown placeholder", { body: connectorBody({ mapping: { a: "<<payload.x>>" } }) }, 400],
      ["a mapping with a JSONPath filter", { body: connectorBody({ mapping: { a: "$.payload[?(@.x)]" } }) }, 400],
      ["an unknown auth type", { body: connectorBody({ auth: { type: "magic" } }) }, 400],
      ["an id without version", { body: connectorBody({ id: "con_00000000000000000000000000" }) }, 400],
      ["an oversized body", { body: connectorBody({ description: big }) }, 413],
    ];
    it.each(matrix)("refuses %s with a 4xx envelope and stores nothing", async (_label, request, status) => {
      const before = await counts();
      const res = await engine.api("PUT", `${BASE}/connectors`, request);
      expectEnvelope(res, status);
      expect(await counts()).toEqual(before);
    });

    it("refuses bad list queries", async () => {
      expectEnvelope(await engine.api("GET", `${BASE}/connectors?limit=0`), 400, "VALIDATION_FAILED");
      expectEnvelope(await engine.api("GET", `${BASE}/connectors?limit=abc`), 400, "VALIDATION_FAILED");
      expectEnvelope(await engine.api("GET", `${BASE}/connectors?enabled=maybe`), 400, "VALIDATION_FAILED");
    });
  });

  describe("security", () => {
    it("needs a token, connectors.read to read and connectors.write to change", async () => {
      const created = await create();
      const before = await counts();
      const { tokens } = engine;
      for (const [method, path, body] of [
        ["GET", `${BASE}/connectors`, undefined],
        ["GET", `${BASE}/connectors/${created.id}`, undefined],
        ["PUT", `${BASE}/connectors`, connectorBody()],
        ["DELETE", `${BASE}/connectors/${created.id}`, undefined],
      ] as const) {
        expectEnvelope(await engine.api(method, path, { token: null, body }), 401, "UNAUTHORIZED");
        expectEnvelope(await engine.api(method, path, { token: "ib_not_a_token", body }), 401, "UNAUTHORIZED");
        expectEnvelope(await engine.api(method, path, { token: tokens.ingest, body }), 403, "FORBIDDEN");
      }
      for (const role of ["viewer", "support", "finance"] as const) {
        expect((await engine.api("GET", `${BASE}/connectors/${created.id}`, { token: tokens[role] })).status).toBe(200);
        expectEnvelope(
          await engine.api("PUT", `${BASE}/connectors`, { token: tokens[role], body: connectorBody() }),
          403,
        );
        expectEnvelope(await engine.api("DELETE", `${BASE}/connectors/${created.id}`, { token: tokens[role] }), 403);
      }
      expect(await counts()).toEqual(before);
    });

    it("keeps literal credentials in headers out of the audit log", async () => {
      const created = await create({
        destination: {
          url: "https://a.example",
          method: "POST",
          headers: { Authorization: "Bearer literal-credential-123", "X-Trace": "t1" },
        },
      });
      const [entry] = await engine.ctx.db.select().from(auditLog).where(eq(auditLog.target, created.id));
      const text = JSON.stringify(entry?.details);
      expect(text).not.toContain("literal-credential-123");
      expect(text).toContain("t1");
    });

    it("documents every connector route in OpenAPI with examples", async () => {
      const doc = (await engine.api("GET", "/openapi.json", { token: null })).json;
      expect(Object.keys(doc.paths[`${BASE}/connectors`]).sort()).toEqual(["get", "put"]);
      expect(Object.keys(doc.paths[`${BASE}/connectors/{id}`]).sort()).toEqual(["delete", "get"]);
      expect(Object.keys(doc.paths[`${BASE}/connectors/{id}/secret`])).toEqual(["post"]);
      expect(Object.keys(doc.paths[`${BASE}/connectors/{id}/secrets`])).toEqual(["get"]);
      expect(Object.keys(doc.paths[`${BASE}/connectors/{id}/secrets/{name}`])).toEqual(["delete"]);
      expect(Object.keys(doc.paths[`${BASE}/preview`])).toEqual(["post"]);
      for (const name of ["Connector", "ConnectorInput", "PreviewRequest", "Preview", "SetSecret", "SecretSet"]) {
        expect(doc.components.schemas[name]?.example ?? doc.components.schemas[name]?.properties, name).toBeDefined();
      }
      expect(doc.components.schemas.Preview.example.request.headers.Authorization).toBe("Bearer ••••••");
      expect(doc.components.schemas.Connector.example).toBeDefined();
      expect(doc.components.schemas.ConnectorInput.example).toBeDefined();
    });
  });
});
