import { auditLog, secretAudit, sourceSecrets } from "@ib/db";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

const BASE = "/admin/integration-builder/sources";

describe.each(testDrivers())("inbound sources on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver);
  });
  afterAll(async () => engine?.close());

  const create = (body: Record<string, unknown>) => engine.api("PUT", BASE, { body });

  it("creates, reads, lists, updates with a version and deletes a source, auditing each change", async () => {
    const created = await create({
      name: "Stripe payments",
      verifier: "stripe",
      eventMapping: { "payment_intent.succeeded": "payment.confirmed" },
    });
    expect(created.status).toBe(201);
    const source = created.json.source;
    expect(source).toMatchObject({
      name: "Stripe payments",
      verifier: "stripe",
      enabled: true,
      version: 1,
      eventName: null,
      path: `/v1/webhooks/${source.id}`,
      secrets: [],
    });
    expect(source.id).toMatch(/^src_/);

    expect((await engine.api("GET", `${BASE}/${source.id}`)).json.source.id).toBe(source.id);
    expect(
      (await engine.api("GET", BASE, { token: engine.tokens.viewer })).json.sources.map((s: { id: string }) => s.id),
    ).toContain(source.id);

    const updated = await create({
      id: source.id,
      version: 1,
      name: "Stripe (prod)",
      verifier: "stripe",
      eventName: "stripe.event",
      enabled: false,
    });
    expect(updated.status).toBe(200);
    expect(updated.json.source).toMatchObject({
      name: "Stripe (prod)",
      version: 2,
      enabled: false,
      eventName: "stripe.event",
      eventMapping: null,
    });
    expectEnvelope(
      await create({ id: source.id, version: 1, name: "stale", verifier: "stripe", eventName: "x.y" }),
      409,
      "CONFLICT",
    );

    const deleted = await engine.api("DELETE", `${BASE}/${source.id}`);
    expect(deleted.json).toEqual({ id: source.id, deleted: true });
    expectEnvelope(await engine.api("GET", `${BASE}/${source.id}`), 404, "NOT_FOUND");
    expectEnvelope(await engine.api("DELETE", `${BASE}/${source.id}`), 404, "NOT_FOUND");

    const actions = (await engine.ctx.db.select().from(auditLog).where(eq(auditLog.target, source.id))).map(
      (a) => a.action,
    );
    expect(actions).toEqual(["source.create", "source.update", "source.delete"]);
  });

  it("refuses bad input with a 400 envelope and stores nothing", async () => {
    const before = await engine.api("GET", BASE);
    const bad: Record<string, unknown>[] = [
      { name: "x", verifier: "paypal", eventName: "a.b" },
      { name: "", verifier: "stripe", eventName: "a.b" },
      { name: "no target", verifier: "stripe" },
      { name: "bad event", verifier: "stripe", eventName: "has spaces" },
      { name: "generic without header", verifier: "generic-hmac", eventName: "a.b", config: {} },
      {
        name: "generic bad algo",
        verifier: "generic-hmac",
        eventName: "a.b",
        config: { header: "X-Sig", algorithm: "md5" },
      },
      { name: "unknown field", verifier: "stripe", eventName: "a.b", extra: 1 },
      { name: "bad tolerance", verifier: "stripe", eventName: "a.b", config: { toleranceSeconds: -5 } },
    ];
    for (const body of bad) expectEnvelope(await create(body), 400);
    expectEnvelope(
      await engine.api("PUT", BASE, { raw: "{not json", headers: { "content-type": "application/json" } }),
      400,
    );
    expectEnvelope(
      await create({ id: "src_missing", name: "x", verifier: "stripe", eventName: "a.b" }),
      404,
      "NOT_FOUND",
    );
    expect((await engine.api("GET", BASE)).json.sources.length).toBe(before.json.sources.length);
  });

  it("needs a token and the right role", async () => {
    expectEnvelope(await engine.api("GET", BASE, { token: null }), 401, "UNAUTHORIZED");
    expectEnvelope(
      await engine.api("PUT", BASE, {
        token: engine.tokens.viewer,
        body: { name: "x", verifier: "stripe", eventName: "a.b" },
      }),
      403,
      "FORBIDDEN",
    );
    expectEnvelope(await engine.api("GET", BASE, { token: engine.tokens.ingest }), 403, "FORBIDDEN");
  });

  it("stores signing secrets encrypted, never returns them, keeps the previous one active during a rotation", async () => {
    const { json } = await create({ name: "Rotating", verifier: "github", eventName: "github.event" });
    const id = json.source.id;
    const first = await engine.api("POST", `${BASE}/${id}/secret`, {
      body: { name: "signingSecret", value: "first-secret-value-123" },
    });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ name: "signingSecret", previousSecretsExpireAt: null });
    const second = await engine.api("POST", `${BASE}/${id}/secret`, {
      body: { name: "signingSecret", value: "second-secret-value-456", previousSecretTtlSeconds: 3600 },
    });
    expect(second.json.previousSecretsExpireAt).not.toBeNull();
    const expiresIn = Date.parse(second.json.previousSecretsExpireAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(3500_000);
    expect(expiresIn).toBeLessThanOrEqual(3600_000);

    const source = (await engine.api("GET", `${BASE}/${id}`)).json.source;
    expect(source.secrets).toHaveLength(2);
    expect(source.secrets.every((s: { active: boolean }) => s.active)).toBe(true);

    const rows = await engine.ctx.db.select().from(sourceSecrets).where(eq(sourceSecrets.sourceId, id));
    for (const row of rows) expect(row.ciphertext).not.toMatch(/secret-value/);
    const everything = JSON.stringify([
      await engine.api("GET", BASE),
      await engine.api("GET", `${BASE}/${id}`),
      await engine.ctx.db.select().from(auditLog),
      await engine.ctx.db.select().from(secretAudit),
    ]);
    expect(everything).not.toContain("first-secret-value-123");
    expect(everything).not.toContain("second-secret-value-456");
    const audited = await engine.ctx.db
      .select()
      .from(secretAudit)
      .where(sql`${secretAudit.provider} = ${`INTEGRATION_BUILDER_SOURCE:${id}`}`);
    expect(audited.map((a) => a.action).sort()).toEqual(["create", "rotate"]);

    // Removing one secret at once.
    const revoke = await engine.api("DELETE", `${BASE}/${id}/secrets/${first.json.id}`);
    expect(revoke.json).toEqual({ id: first.json.id, deleted: true });
    expect((await engine.api("GET", `${BASE}/${id}`)).json.source.secrets).toHaveLength(1);
    expectEnvelope(await engine.api("DELETE", `${BASE}/${id}/secrets/${first.json.id}`), 404);

    // Bad secret input and permissions.
    expectEnvelope(await engine.api("POST", `${BASE}/${id}/secret`, { body: { name: "other", value: "x" } }), 400);
    expectEnvelope(
      await engine.api("POST", `${BASE}/${id}/secret`, { body: { name: "signingSecret", value: "" } }),
      400,
    );
    expectEnvelope(
      await engine.api("POST", `${BASE}/src_nope/secret`, { body: { name: "signingSecret", value: "abc" } }),
      404,
    );
    expectEnvelope(
      await engine.api("POST", `${BASE}/${id}/secret`, {
        token: engine.tokens.support,
        body: { name: "signingSecret", value: "abc" },
      }),
      403,
    );
  });

  it("documents every source route in the OpenAPI document", async () => {
    const doc = (await engine.api("GET", "/openapi.json", { token: null })).json;
    for (const path of [
      "/admin/integration-builder/sources",
      "/admin/integration-builder/sources/{id}",
      "/admin/integration-builder/sources/{id}/secret",
      "/admin/integration-builder/sources/{id}/secrets/{secretId}",
      "/admin/integration-builder/sources/{id}/webhooks",
      "/admin/integration-builder/sources/{id}/webhooks/{webhookId}",
      "/v1/webhooks/{sourceId}",
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});
