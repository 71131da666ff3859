import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { auditLog, execute } from "@ib/db";
import { validate } from "@readme/openapi-parser";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context.ts";
import { recordAudit } from "../src/verbs/audit/record-audit.ts";
import { verifyAuditChain } from "../src/verbs/audit/verify-audit-chain.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

describe.each(testDrivers())("foundation on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver);
  });
  afterAll(async () => engine?.close());

  it("applies every migration and reports ready", async () => {
    const tables = await execute<{ table_name: string }>(
      engine.ctx.db,
      sql`select table_name from information_schema.tables where table_schema = 'public'`,
    );
    const names = tables.map((t) => t.table_name);
    for (const t of [
      "connectors",
      "connector_secrets",
      "secret_audit",
      "events",
      "deliveries",
      "delivery_attempts",
      "audit_log",
      "api_tokens",
    ]) {
      expect(names).toContain(t);
    }
    const res = await engine.api("GET", "/readyz", { token: null });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "ok", database: driver });
    expect((await engine.api("GET", "/healthz", { token: null })).json).toEqual({ status: "ok" });
  });

  describe("WORM audit log", () => {
    it("refuses UPDATE, DELETE and TRUNCATE at the database", async () => {
      await recordAudit({
        ctx: systemContext(engine.ctx),
        input: { action: "test.worm", target: "x", details: { a: 1 } },
      });
      const refused = async (statement: ReturnType<typeof sql>) => {
        const error = await engine.ctx.db.execute(statement).then(
          () => null,
          (e: Error & { cause?: Error }) => e,
        );
        return `${error?.message} ${error?.cause?.message}`;
      };
      expect(await refused(sql`update audit_log set action = 'forged'`)).toMatch(/append-only: UPDATE refused/);
      expect(await refused(sql`delete from audit_log`)).toMatch(/append-only: DELETE refused/);
      expect(await refused(sql`truncate audit_log`)).toMatch(/append-only: TRUNCATE refused/);
    });

    it("chains hashes and finds a row changed behind the trigger's back", async () => {
      for (let i = 0; i < 5; i++) {
        await recordAudit({
          ctx: systemContext(engine.ctx),
          input: { action: "test.chain", target: `t${i}`, details: { i, nested: { z: 1, a: [1, 2] } } },
        });
      }
      const before = await verifyAuditChain({ ctx: systemContext(engine.ctx), input: { pageSize: 2 } });
      expect(before.ok).toBe(true);
      expect(before.checked).toBeGreaterThanOrEqual(5);

      const [victim] = await engine.ctx.db.select().from(auditLog).where(sql`${auditLog.target} = 't2'`);
      expect(victim).toBeDefined();
      // A superuser could disable the trigger; the chain still gives the forgery away.
      await engine.ctx.db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
        await tx.execute(sql`update audit_log set details = '{"i": 99}'::jsonb where seq = ${victim?.seq}`);
        await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
      });
      const after = await verifyAuditChain({ ctx: systemContext(engine.ctx), input: { pageSize: 2 } });
      expect(after.ok).toBe(false);
      expect(after.firstBroken).toEqual({ seq: victim?.seq, reason: "hash-mismatch" });

      const res = await engine.api("GET", "/admin/integration-builder/audit/verify");
      expect(res.json.ok).toBe(false);
      expect(res.json.firstBroken.seq).toBe(victim?.seq);
    });
  });

  describe("auth", () => {
    const listPath = "/admin/integration-builder/tokens";

    it("answers 401 with no token or a wrong token", async () => {
      expectEnvelope(await engine.api("GET", listPath, { token: null }), 401, "UNAUTHORIZED");
      expectEnvelope(await engine.api("GET", listPath, { token: "ib_not-a-real-token" }), 401, "UNAUTHORIZED");
      expectEnvelope(
        await engine.api("GET", listPath, { token: null, headers: { authorization: "Basic abc" } }),
        401,
        "UNAUTHORIZED",
      );
    });

    it("lets a viewer read but not mutate (403)", async () => {
      const me = await engine.api("GET", "/admin/integration-builder/me", { token: engine.tokens.viewer });
      expect(me.status).toBe(200);
      expect(me.json.role).toBe("viewer");
      expect(me.json.permissions).not.toContain("connectors.write");
      expect(
        (await engine.api("GET", "/admin/integration-builder/audit", { token: engine.tokens.viewer })).status,
      ).toBe(200);
      expectEnvelope(
        await engine.api("POST", listPath, { token: engine.tokens.viewer, body: { name: "x", role: "admin" } }),
        403,
        "FORBIDDEN",
      );
      expectEnvelope(await engine.api("GET", listPath, { token: engine.tokens.ingest }), 403, "FORBIDDEN");
    });

    it("creates a token shown once, audits it, and a revoked token gets 401", async () => {
      const created = await engine.api("POST", listPath, { body: { name: "short-lived", role: "viewer" } });
      expect(created.status).toBe(201);
      const value: string = created.json.value;
      expect(value).toMatch(/^ib_[\w-]{43}$/);
      expect((await engine.api("GET", "/admin/integration-builder/me", { token: value })).status).toBe(200);

      const list = await engine.api("GET", listPath);
      expect(list.text).not.toContain(value);
      expect(list.json.tokens.find((t: { id: string }) => t.id === created.json.token.id)).toMatchObject({
        role: "viewer",
        revokedAt: null,
      });

      const revoked = await engine.api("DELETE", `${listPath}/${created.json.token.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.json.token.revokedAt).not.toBeNull();
      expectEnvelope(await engine.api("GET", "/admin/integration-builder/me", { token: value }), 401, "UNAUTHORIZED");

      const trail = await engine.api("GET", `/admin/integration-builder/audit?target=${created.json.token.id}`);
      expect(trail.json.entries.map((e: { action: string }) => e.action)).toEqual(["token.revoke", "token.create"]);
      expect(trail.text).not.toContain(value);
      expectEnvelope(await engine.api("DELETE", `${listPath}/tok_missing`), 404, "NOT_FOUND");
    });
  });

  describe("errors", () => {
    it("answers malformed JSON with a 400 envelope", async () => {
      const res = await engine.api("POST", "/admin/integration-builder/tokens", {
        raw: '{"name": "x", role:',
        headers: { "content-type": "application/json" },
      });
      expectEnvelope(res, 400);
    });

    it("answers schema violations with a 400 envelope naming the field", async () => {
      const res = await engine.api("POST", "/admin/integration-builder/tokens", { body: { name: "x", role: "root" } });
      expectEnvelope(res, 400, "VALIDATION_FAILED");
      expect(res.json.error.message).toMatch(/role/);
      const wrongType = await engine.api("POST", "/admin/integration-builder/tokens", {
        raw: "x",
        headers: { "content-type": "text/plain" },
      });
      expectEnvelope(wrongType, 415, "UNSUPPORTED_MEDIA_TYPE");
    });

    it("answers an unknown route with a 404 envelope", async () => {
      expectEnvelope(await engine.api("GET", "/no/such/route", { token: null }), 404, "NOT_FOUND");
    });

    it("answers an oversized body with 413", async () => {
      const res = await engine.api("POST", "/admin/integration-builder/tokens", {
        body: { name: "x".repeat(2 * 1024 * 1024), role: "admin" },
      });
      expectEnvelope(res, 413, "PAYLOAD_TOO_LARGE");
    });

    it("carries the request id in the envelope and the header", async () => {
      const res = await engine.api("GET", "/no/such/route", { token: null, headers: { "x-request-id": "trace-123" } });
      expect(res.json.error.requestId).toBe("trace-123");
      expect(res.headers.get("x-request-id")).toBe("trace-123");
    });
  });

  it("serves a valid OpenAPI 3 document and a browsable reference", async () => {
    const res = await engine.api("GET", "/openapi.json", { token: null });
    expect(res.status).toBe(200);
    expect(res.json.openapi).toMatch(/^3\./);
    const result = await validate(structuredClone(res.json));
    expect(result.valid ? [] : result.errors).toEqual([]);
    const docs = await engine.api("GET", "/docs", { token: null });
    expect(docs.text).toContain("/openapi.json");
    // Nothing from a third party (e2e/engine/docs.spec.ts checks what the browser actually requests).
    const config = JSON.parse(
      (docs.text.match(/data-configuration='([^']*)'/)?.[1] ?? "{}").replaceAll("&#39;", "'").replaceAll("&amp;", "&"),
    );
    expect(config).toMatchObject({ withDefaultFonts: false, agent: { disabled: true }, proxyUrl: "" });
    expect(docs.text).not.toMatch(/https?:\/\//);
  });
});

describe("embedded database", () => {
  const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
  const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));

  it("refuses to start a second engine on the same PGlite data dir", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "ib-lock-"));
    const env = { ...process.env, IB_DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "info", DATABASE_URL: "" };
    const first = spawn(tsx, [main], { env, stdio: ["ignore", "pipe", "pipe"] });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("first engine did not start")), 45_000);
        first.stdout.on("data", (d: Buffer) => {
          if (d.toString().includes("engine listening")) {
            clearTimeout(timer);
            resolve();
          }
        });
        first.on("exit", (code) => reject(new Error(`first engine exited ${code}`)));
      });
      const second = spawn(tsx, [main], { env, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      second.stdout.on("data", (d: Buffer) => (output += d));
      second.stderr.on("data", (d: Buffer) => (output += d));
      const code = await new Promise<number | null>((resolve) => second.on("exit", resolve));
      expect(code).toBe(1);
      expect(output).toMatch(/in use by another process/);
    } finally {
      first.kill("SIGTERM");
      await new Promise((r) => first.once("exit", r));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
