import { PROVIDER_TYPES } from "@ib/core/contracts/preset";
import { auditLog, type Connector, connectorSecrets, connectors, secretAudit } from "@ib/db";
import { PRESETS, type Preset } from "@ib/providers/presets";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context.ts";
import { loadConnectorSecrets } from "../src/verbs/secrets/load-connector-secrets.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

const BASE = "/admin/integration-builder/presets";

describe.each(testDrivers())("presets API on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver);
  });
  afterAll(async () => engine?.close());

  it("lists every preset, self-described, to any reader", async () => {
    const res = await engine.api("GET", BASE, { token: engine.tokens.viewer });
    expect(res.status).toBe(200);
    expect(res.json.presets.map((p: { id: string }) => p.id)).toEqual(PRESETS.map((p) => p.id));
    for (const p of res.json.presets) {
      expect(Object.keys(p)).toEqual(
        expect.arrayContaining([
          "id",
          "providerType",
          "name",
          "description",
          "destination",
          "mapping",
          "secrets",
          "sampleEvent",
          "docsUrl",
        ]),
      );
      expect(PROVIDER_TYPES).toContain(p.providerType);
    }
    expect((await engine.api("GET", `${BASE}/twilio-sms`)).json.preset.auth).toEqual({
      type: "basic",
      usernameSecret: "accountSid",
      passwordSecret: "authToken",
    });
    expectEnvelope(await engine.api("GET", `${BASE}/nope`), 404, "NOT_FOUND");
    expectEnvelope(await engine.api("GET", BASE, { token: null }), 401);
    expectEnvelope(await engine.api("GET", BASE, { token: engine.tokens.ingest }), 403);
  });

  it("creates a working connector with its secrets in one call, audited, secrets encrypted", async () => {
    const res = await engine.api("POST", `${BASE}/s3-put-object/connectors`, {
      body: {
        name: "Archive to S3",
        secrets: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" },
        parameters: { bucketUrl: "https://archive.s3.eu-west-1.amazonaws.com", region: "eu-west-1" },
        overrides: { sourceEvent: "order.*", tags: { country: "PT" }, rateLimitPerSecond: 5 },
      },
    });
    expect(res.status).toBe(201);
    const c = res.json.connector;
    expect(c).toMatchObject({
      name: "Archive to S3",
      preset: "s3-put-object",
      sourceEvent: "order.*",
      rateLimitPerSecond: 5,
      tags: { providerType: "storage", country: "PT" },
      destination: { method: "PUT", url: "https://archive.s3.eu-west-1.amazonaws.com/events/<<event.id>>.json" },
      auth: { type: "awsSigV4", region: "eu-west-1", service: "s3", accessKeyIdSecret: "accessKeyId" },
    });
    expect(c.secrets.map((s: { name: string }) => s.name).sort()).toEqual(["accessKeyId", "secretAccessKey"]);
    expect(res.text).not.toContain("wJalrXUtnFEMI");

    const stored = await loadConnectorSecrets({ ctx: systemContext(engine.ctx), input: { connectorId: c.id } });
    expect(JSON.stringify(stored)).toContain("wJalrXUtnFEMI/K7MDENG/bPxRfiCY");
    const rows = await engine.ctx.db.select().from(connectorSecrets).where(eq(connectorSecrets.connectorId, c.id));
    expect(rows.every((r) => !r.ciphertext.includes("wJalr"))).toBe(true);
    const actions = (await engine.ctx.db.select().from(auditLog).where(eq(auditLog.target, c.id)))
      .map((a) => a.action)
      .sort();
    expect(actions).toEqual(["connector.create", "connector.secret.create", "connector.secret.create"]);
    expect((await engine.ctx.db.select().from(secretAudit).where(eq(secretAudit.connectorId, c.id))).length).toBe(2);
  });

  it("refuses missing or unknown secrets and parameters, invalid overrides, and leaves nothing behind", async () => {
    const count = async () => (await engine.ctx.db.select().from(connectors)).length;
    const before = await count();
    const cases: [string, Record<string, unknown>][] = [
      ["stripe-payment-intent", { secrets: {} }],
      ["stripe-payment-intent", { secrets: { secretKey: "sk", other: "x" } }],
      ["twilio-sms", { secrets: { accountSid: "AC1", authToken: "t" } }],
      ["twilio-sms", { secrets: { accountSid: "AC1", authToken: "t" }, parameters: { fromNumber: "+1", bogus: "x" } }],
      ["stripe-payment-intent", { secrets: { secretKey: "sk" }, overrides: { timeoutMs: 5 } }],
      ["stripe-payment-intent", { secrets: { secretKey: "sk" }, overrides: { destination: { url: "ftp://x" } } }],
      ["stripe-payment-intent", { secrets: { secretKey: "sk" }, overrides: { id: "con_x" } }],
      ["http-webhook", { secrets: {}, parameters: { url: "not a url" } }],
      // The secret verb refuses a malformed signingSecret: the connector created before it rolls back.
      [
        "standard-webhooks",
        { secrets: { signingSecret: "not-whsec" }, parameters: { url: "https://hooks.example.com/x" } },
      ],
    ];
    for (const [id, body] of cases) {
      const res = await engine.api("POST", `${BASE}/${id}/connectors`, { body });
      expectEnvelope(res, 400);
    }
    expectEnvelope(await engine.api("POST", `${BASE}/nope/connectors`, { body: { secrets: {} } }), 404);
    expectEnvelope(
      await engine.api("POST", `${BASE}/http-webhook/connectors`, {
        token: engine.tokens.viewer,
        body: { secrets: {}, parameters: { url: "https://x.example.com" } },
      }),
      403,
    );
    expect(await count()).toBe(before);
  });

  // Issue 11 item 1: the admin loads a connector and PUTs it back; fields nobody touched must not move.
  it("every preset's connector survives GET -> PUT of the same body unchanged", async () => {
    const stored = async (id: string) => {
      const [row] = await engine.ctx.db.select().from(connectors).where(eq(connectors.id, id));
      const { version: _v, updatedAt: _u, ...rest } = row as Connector;
      return rest;
    };
    for (const preset of PRESETS) {
      const created = await engine.api("POST", `${BASE}/${preset.id}/connectors`, {
        body: { secrets: exampleSecrets(preset), parameters: exampleParameters(preset) },
      });
      expect(created.status, `${preset.id}: ${created.text}`).toBe(201);
      const id: string = created.json.connector.id;
      const rowBefore = await stored(id);
      const got = await engine.api("GET", `/admin/integration-builder/connectors/${id}`);
      expect(got.status).toBe(200);
      const before = got.json;
      // What the admin sends back: the connector minus the fields the server owns.
      const { createdAt: _c, updatedAt: _u, secrets: _s, disabledReason: _r, disabledAt: _d, ...body } = before;
      const put = await engine.api("PUT", "/admin/integration-builder/connectors", { body });
      expect(put.status, `${preset.id}: ${put.text}`).toBe(200);
      const after = (await engine.api("GET", `/admin/integration-builder/connectors/${id}`)).json;
      const view = (c: Record<string, unknown>) => ({ ...c, version: 0, updatedAt: "" });
      expect(view(after), preset.id).toEqual(view(before));
      expect(after.version).toBe(before.version + 1);
      expect(await stored(id), preset.id).toEqual(rowBefore);
    }
  });

  it("every preset can be created with example values", async () => {
    for (const preset of PRESETS) {
      const res = await engine.api("POST", `${BASE}/${preset.id}/connectors`, {
        body: { secrets: exampleSecrets(preset), parameters: exampleParameters(preset) },
      });
      expect(res.status, `${preset.id}: ${res.text}`).toBe(201);
      expect(res.json.connector.preset).toBe(preset.id);
    }
  });
});

function exampleSecrets(preset: Preset): Record<string, string> {
  return Object.fromEntries(
    preset.secrets.map((s) => [
      s.name,
      s.name === "signingSecret" ? "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" : `value-${s.name}`,
    ]),
  );
}

function exampleParameters(preset: Preset): Record<string, string> {
  return Object.fromEntries(preset.parameters.map((p) => [p.name, p.example]));
}
