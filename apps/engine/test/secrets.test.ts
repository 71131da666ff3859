import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decryptSecret } from "@ib/core";
import { auditLog, connectorSecrets, execute, secretAudit } from "@ib/db";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context.ts";
import { loadEnv } from "../src/env.ts";
import { loadMasterKey, MASTER_KEY_FILE } from "../src/lib/master-key.ts";
import { loadConnectorSecrets, SecretDecryptError } from "../src/verbs/secrets/load-connector-secrets.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

const BASE = "/admin/integration-builder";

describe.each(testDrivers())("connector secrets on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver);
  });
  afterAll(async () => engine?.close());

  let n = 0;
  async function createConnector() {
    n++;
    const res = await engine.api("PUT", `${BASE}/connectors`, {
      body: {
        name: `secrets ${n}`,
        sourceEvent: `secret.test${n}`,
        destination: {
          url: "https://a.example/hook",
          method: "POST",
          headers: { Authorization: "Bearer <<secret.token>>" },
        },
      },
    });
    expect(res.status, res.text).toBe(201);
    return res.json.id as string;
  }

  async function counts() {
    const [row] = await execute<{ s: number; sa: number; a: number }>(
      engine.ctx.db,
      sql`select (select count(*)::int from connector_secrets) as s, (select count(*)::int from secret_audit) as sa,
                 (select count(*)::int from audit_log) as a`,
    );
    return row;
  }

  it("sets, rotates, lists and deletes a secret, encrypted and audited", async () => {
    const id = await createConnector();
    const value = `tok-${randomBytes(8).toString("hex")}`;
    const set = await engine.api("POST", `${BASE}/connectors/${id}/secret`, { body: { name: "token", value } });
    expect(set.status, set.text).toBe(200);
    expect(set.json).toEqual({ name: "token", updatedAt: expect.any(String), rotated: false });
    expect(set.text).not.toContain(value);

    const [row] = await engine.ctx.db.select().from(connectorSecrets).where(eq(connectorSecrets.connectorId, id));
    expect(row?.ciphertext).not.toContain(value);
    expect(Buffer.from(row!.ciphertext, "base64").toString("latin1")).not.toContain(value);
    expect(decryptSecret(engine.ctx.masterKey, row!.ciphertext, `${id}:token`)).toBe(value);
    expect(() => decryptSecret(engine.ctx.masterKey, row!.ciphertext, `${id}:other`)).toThrow();

    const rotatedValue = `tok-${randomBytes(8).toString("hex")}`;
    const rotated = await engine.api("POST", `${BASE}/connectors/${id}/secret`, {
      body: { name: "token", value: rotatedValue },
    });
    expect(rotated.json).toMatchObject({ name: "token", rotated: true });
    expect(await loadConnectorSecrets({ ctx: systemContext(engine.ctx), input: { connectorId: id } })).toEqual({
      token: rotatedValue,
    });

    const listed = await engine.api("GET", `${BASE}/connectors/${id}/secrets`);
    expect(listed.json.secrets).toEqual([
      { name: "token", createdAt: expect.any(String), rotatedAt: rotated.json.updatedAt },
    ]);
    const connector = await engine.api("GET", `${BASE}/connectors/${id}`);
    expect(connector.json.secrets).toEqual(listed.json.secrets);

    const deleted = await engine.api("DELETE", `${BASE}/connectors/${id}/secrets/token`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ name: "token", deletedAt: expect.any(String) });
    expect((await engine.api("GET", `${BASE}/connectors/${id}/secrets`)).json.secrets).toEqual([]);
    expectEnvelope(await engine.api("DELETE", `${BASE}/connectors/${id}/secrets/token`), 404, "NOT_FOUND");

    const trail = await engine.ctx.db
      .select()
      .from(secretAudit)
      .where(eq(secretAudit.connectorId, id))
      .orderBy(asc(secretAudit.at));
    expect(trail.map((t) => [t.provider, t.secretName, t.action, t.actorRole])).toEqual([
      [`INTEGRATION_BUILDER_CONNECTOR:${id}`, "token", "create", "admin"],
      [`INTEGRATION_BUILDER_CONNECTOR:${id}`, "token", "rotate", "admin"],
      [`INTEGRATION_BUILDER_CONNECTOR:${id}`, "token", "delete", "admin"],
    ]);
    const entries = await engine.ctx.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.target, id))
      .orderBy(asc(auditLog.seq));
    expect(entries.map((e) => e.action)).toEqual([
      "connector.create",
      "connector.secret.create",
      "connector.secret.rotate",
      "connector.secret.delete",
    ]);
    expect(entries[1]?.details).toEqual({ provider: `INTEGRATION_BUILDER_CONNECTOR:${id}`, secret: "token" });
    const everything = JSON.stringify(entries) + JSON.stringify(trail);
    expect(everything).not.toContain(value);
    expect(everything).not.toContain(rotatedValue);
  });

  it("deleting a connector destroys its secrets and records it", async () => {
    const id = await createConnector();
    await engine.api("POST", `${BASE}/connectors/${id}/secret`, { body: { name: "token", value: "abcdefgh" } });
    expect((await engine.api("DELETE", `${BASE}/connectors/${id}`)).status).toBe(200);
    expect(await engine.ctx.db.select().from(connectorSecrets).where(eq(connectorSecrets.connectorId, id))).toEqual([]);
    const trail = await engine.ctx.db
      .select()
      .from(secretAudit)
      .where(eq(secretAudit.connectorId, id))
      .orderBy(asc(secretAudit.at));
    expect(trail.map((t) => t.action)).toEqual(["create", "delete"]);
  });

  it("a ciphertext moved to another connector, or read under another key, does not decrypt", async () => {
    const a = await createConnector();
    const b = await createConnector();
    await engine.api("POST", `${BASE}/connectors/${a}/secret`, { body: { name: "token", value: "secret-of-a" } });
    const [row] = await engine.ctx.db.select().from(connectorSecrets).where(eq(connectorSecrets.connectorId, a));
    await engine.ctx.db
      .insert(connectorSecrets)
      .values({ id: `sec_moved${n}`, connectorId: b, name: "token", ciphertext: row!.ciphertext });
    await expect(
      loadConnectorSecrets({ ctx: systemContext(engine.ctx), input: { connectorId: b } }),
    ).rejects.toBeInstanceOf(SecretDecryptError);
    const otherKey = systemContext({ ...engine.ctx, masterKey: randomBytes(32) });
    const error = await loadConnectorSecrets({ ctx: otherKey, input: { connectorId: a } }).catch((e) => e);
    expect(error).toBeInstanceOf(SecretDecryptError);
    expect(String(error.message)).not.toContain("secret-of-a");
  });

  it.each([
    ["a missing name", { value: "x" }],
    ["a bad name", { name: "has space", value: "x" }],
    ["a dotted name", { name: "a.b", value: "x" }],
    ["a name starting with _", { name: "__proto__", value: "x" }],
    ["an empty value", { name: "token", value: "" }],
    ["a numeric value", { name: "token", value: 42 }],
    ["a too long value", { name: "token", value: "x".repeat(16 * 1024 + 1) }],
    ["an extra field", { name: "token", value: "x", note: "y" }],
    ["a malformed signingSecret", { name: "signingSecret", value: "not-whsec" }],
  ])("refuses %s with 400 and stores nothing", async (_label, body) => {
    const id = await createConnector();
    const before = await counts();
    const res = await engine.api("POST", `${BASE}/connectors/${id}/secret`, { body });
    expectEnvelope(res, 400);
    expect(res.text).not.toContain("x".repeat(100));
    expect(await counts()).toEqual(before);
  });

  it("refuses malformed JSON and an unknown connector", async () => {
    const id = await createConnector();
    const before = await counts();
    expectEnvelope(
      await engine.api("POST", `${BASE}/connectors/${id}/secret`, {
        raw: '{"name":"token","value":',
        headers: { "content-type": "application/json" },
      }),
      400,
    );
    const unknown = "con_00000000000000000000000000";
    expectEnvelope(
      await engine.api("POST", `${BASE}/connectors/${unknown}/secret`, { body: { name: "token", value: "v" } }),
      404,
      "NOT_FOUND",
    );
    expectEnvelope(await engine.api("GET", `${BASE}/connectors/${unknown}/secrets`), 404, "NOT_FOUND");
    expectEnvelope(await engine.api("DELETE", `${BASE}/connectors/${unknown}/secrets/token`), 404, "NOT_FOUND");
    expect(await counts()).toEqual(before);
  });

  it("accepts a Standard Webhooks signingSecret", async () => {
    const id = await createConnector();
    const value = `whsec_${randomBytes(24).toString("base64")}`;
    const res = await engine.api("POST", `${BASE}/connectors/${id}/secret`, { body: { name: "signingSecret", value } });
    expect(res.status).toBe(200);
  });

  it("needs secrets.write to change and connectors.read to list", async () => {
    const id = await createConnector();
    const before = await counts();
    for (const role of ["viewer", "support", "finance", "ingest"] as const) {
      const token = engine.tokens[role];
      expectEnvelope(
        await engine.api("POST", `${BASE}/connectors/${id}/secret`, { token, body: { name: "token", value: "v1234" } }),
        403,
        "FORBIDDEN",
      );
      expectEnvelope(await engine.api("DELETE", `${BASE}/connectors/${id}/secrets/token`, { token }), 403, "FORBIDDEN");
    }
    expectEnvelope(
      await engine.api("POST", `${BASE}/connectors/${id}/secret`, { token: null, body: { name: "t", value: "v" } }),
      401,
    );
    expect((await engine.api("GET", `${BASE}/connectors/${id}/secrets`, { token: engine.tokens.viewer })).status).toBe(
      200,
    );
    expectEnvelope(await engine.api("GET", `${BASE}/connectors/${id}/secrets`, { token: engine.tokens.ingest }), 403);
    expect(await counts()).toEqual(before);
  });
});

describe("master key (IB_MASTER_KEY)", () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), "ib-key-"));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("uses IB_MASTER_KEY when set and refuses one that is not 32 bytes of base64", () => {
    const key = randomBytes(32);
    const env = loadEnv({ IB_DATA_DIR: dir(), IB_MASTER_KEY: key.toString("base64") });
    expect(loadMasterKey(env, "postgres").equals(key)).toBe(true);
    expect(() => loadMasterKey(loadEnv({ IB_DATA_DIR: dir(), IB_MASTER_KEY: "c2hvcnQ=" }), "pglite")).toThrow(
      /32 bytes/,
    );
  });

  it("embedded: generates a key once into the data dir with mode 0600 and reuses it", () => {
    const env = loadEnv({ IB_DATA_DIR: dir() });
    const first = loadMasterKey(env, "pglite");
    expect(first).toHaveLength(32);
    const file = join(env.dataDir, MASTER_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadMasterKey(env, "pglite").equals(first)).toBe(true);
  });

  it("refuses to start on PostgreSQL in production without IB_MASTER_KEY", () => {
    const env = loadEnv({ IB_DATA_DIR: dir(), NODE_ENV: "production", DATABASE_URL: "postgres://db.example/x" });
    expect(() => loadMasterKey(env, "postgres")).toThrow(/IB_MASTER_KEY is required/);
    // Embedded production keeps working with its generated key.
    expect(loadMasterKey(env, "pglite")).toHaveLength(32);
  });
});
