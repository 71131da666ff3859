import { createHash, randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { execute } from "@ib/db";
import { sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import { deliveryRow, ingest, startDestination } from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

const BASE = "/admin/integration-builder";

/** Every spelling in which a secret value could leak: raw, JSON-escaped, URL-encoded, base64. */
function spellings(value: string): string[] {
  return [
    value,
    JSON.stringify(value).slice(1, -1),
    encodeURIComponent(value),
    Buffer.from(value).toString("base64"),
    value.slice(0, 12),
    value.slice(-12),
  ];
}

describe.each(testDrivers())("secret values never leave the engine on %s", (driver) => {
  let engine: TestEngine;
  const logLines: string[] = [];
  const values = {
    token: `tok_${randomBytes(12).toString("hex")}`,
    apiKey: `key/${randomBytes(12).toString("base64url")}+x`,
    rotatedAway: `old_${randomBytes(12).toString("hex")}`,
    signingSecret: `whsec_${randomBytes(24).toString("base64")}`,
  };

  beforeAll(async () => {
    engine = await startTestEngine(driver);
    // Capture every log line the engine writes, at the most verbose level.
    engine.ctx.logger = pino(
      { level: "trace" },
      new Writable({
        write(chunk, _enc, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    );
  });
  afterAll(async () => engine?.close());

  function expectClean(where: string, text: string) {
    for (const [name, value] of Object.entries(values)) {
      for (const spelling of spellings(value)) {
        if (text.includes(spelling))
          throw new Error(`secret ${name} leaked (as ${JSON.stringify(spelling)}) in ${where}`);
      }
    }
  }

  it("in no response of any route, no log line and no stored row", async () => {
    const responses: [string, string][] = [];
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await engine.api(method, path, { body });
      responses.push([`${method} ${path} -> ${res.status}`, `${JSON.stringify([...res.headers])}${res.text}`]);
      return res;
    };

    const created = await call("PUT", `${BASE}/connectors`, {
      name: "leak check",
      sourceEvent: "leak.checked",
      destination: {
        url: "https://93.184.215.14/hook/<<secret.token>>",
        method: "POST",
        headers: { Authorization: "Bearer <<secret.token>>" },
        query: { key: "<<secret.apiKey>>" },
      },
      mapping: { t: "<<secret.token>>", k: "{{secret.apiKey}}", e: "$.payload" },
      sampleEvent: { name: "leak.checked", payload: { echo: "<<secret.token>>" } },
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;

    await call("POST", `${BASE}/connectors/${id}/secret`, { name: "token", value: values.rotatedAway });
    await call("POST", `${BASE}/connectors/${id}/secret`, { name: "token", value: values.token });
    await call("POST", `${BASE}/connectors/${id}/secret`, { name: "apiKey", value: values.apiKey });
    await call("POST", `${BASE}/connectors/${id}/secret`, { name: "signingSecret", value: values.signingSecret });
    // A refused set must not echo the value either.
    await call("POST", `${BASE}/connectors/${id}/secret`, { name: "bad name", value: values.token });
    await call("POST", `${BASE}/connectors/${id}/secret`, { name: "token", value: values.token, extra: values.apiKey });

    const {
      id: _i,
      version,
      createdAt: _c,
      updatedAt: _u,
      secrets: _s,
      disabledReason: _r,
      disabledAt: _a,
      ...fields
    } = created.json;
    expect((await call("PUT", `${BASE}/connectors`, { ...fields, id, version, description: "v2" })).status).toBe(200);

    const preview = await call("POST", `${BASE}/preview`, { connectorId: id });
    expect(preview.status).toBe(200);
    expect(preview.json.request.headers.Authorization).toBe("Bearer ••••••");
    await call("POST", `${BASE}/preview`, {
      connector: { ...fields, id },
      event: { name: "leak.checked", payload: { x: 1 } },
    });
    // An unrenderable preview (the error message must not carry values either).
    await call("POST", `${BASE}/preview`, {
      connector: { ...fields, id, destination: { url: "https://<<secret.token>>x y/", method: "POST" } },
    });
    await call("POST", "/v1/events", { name: "leak.checked", payload: { n: 1 } });

    // A connector made from a preset, its secrets given in the same call.
    const presets = (await call("GET", `${BASE}/presets`)).json?.presets as
      | { id: string; secrets: { name: string }[]; parameters: { name: string; example: string }[] }[]
      | undefined;
    const preset = presets?.find((p) => p.secrets.length > 0 && !p.secrets.some((x) => x.name === "signingSecret"));
    expect(preset).toBeDefined();
    if (preset) {
      const fromPreset = await call("POST", `${BASE}/presets/${preset.id}/connectors`, {
        secrets: Object.fromEntries(preset.secrets.map((x, i) => [x.name, i % 2 ? values.apiKey : values.token])),
        parameters: Object.fromEntries(preset.parameters.map((x) => [x.name, x.example])),
      });
      expect(fromPreset.status, fromPreset.text).toBe(201);
      await call("POST", `${BASE}/preview`, { connectorId: fromPreset.json.connector.id });
    }

    // Every GET route the engine documents, with this connector's id where one is needed.
    const doc = (await engine.api("GET", "/openapi.json", { token: null })).json;
    responses.push(["GET /openapi.json", JSON.stringify(doc)]);
    const gets = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .filter(([path, ops]) => "get" in ops && path !== "/docs")
      .map(([path]) =>
        path
          .replace("{id}", id)
          .replace("{name}", "token")
          .replace(/\{[^}]+\}/g, "x"),
      );
    expect(gets).toEqual(expect.arrayContaining([`${BASE}/connectors`, `${BASE}/connectors/${id}`, `${BASE}/audit`]));
    for (const path of gets) await call("GET", path);
    await call("GET", `${BASE}/audit?limit=500`);

    await call("DELETE", `${BASE}/connectors/${id}/secrets/apiKey`);
    await call("DELETE", `${BASE}/connectors/${id}`);
    await call("GET", `${BASE}/audit?limit=500`);

    for (const [where, text] of responses) expectClean(where, text);
    expect(logLines.length).toBeGreaterThan(10);
    expectClean("the log", logLines.join("\n"));

    // Stored rows: everything but the ciphertext column.
    for (const table of ["connectors", "audit_log", "secret_audit", "events", "deliveries", "delivery_attempts"]) {
      const rows = await execute(engine.ctx.db, sql.raw(`select * from ${table}`));
      expectClean(`table ${table}`, JSON.stringify(rows));
    }
  });

  it("a real delivery carries the secret to the destination, and nothing the engine stores or shows does", async () => {
    const open = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1" });
    // The destination echoes the request back (URL, headers, body) in its answer and a header: the worker
    // stores the response, so it must scrub the secret values from it as well.
    const destination = await startDestination((req, _n, res) => {
      res
        .writeHead(200, { "content-type": "application/json", "x-echo-auth": String(req.headers.authorization ?? "") })
        .end(JSON.stringify({ url: req.url, headers: req.headers, body: req.body }));
    });
    let worker: DeliveryWorker | undefined;
    const lines: string[] = [];
    open.ctx.logger = pino(
      { level: "trace" },
      new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    try {
      const responses: [string, string][] = [];
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await open.api(method, path, { body });
        responses.push([`${method} ${path} -> ${res.status}`, `${JSON.stringify([...res.headers])}${res.text}`]);
        return res;
      };
      const connector = await call("PUT", `${BASE}/connectors`, {
        name: "delivered leak check",
        sourceEvent: "leak.delivered",
        destination: {
          url: `${destination.url}/hook`,
          method: "POST",
          headers: { Authorization: "Bearer <<secret.token>>" },
          query: { key: "<<secret.apiKey>>" },
        },
        mapping: { t: "<<secret.token>>", order: "$.payload.order" },
        retryBackoffBaseMs: 10,
      });
      const id = connector.json.id as string;
      await call("POST", `${BASE}/connectors/${id}/secret`, { name: "token", value: values.token });
      await call("POST", `${BASE}/connectors/${id}/secret`, { name: "apiKey", value: values.apiKey });
      // A second connector whose secret is missing: its delivery fails, naming the secret only.
      const broken = await call("PUT", `${BASE}/connectors`, {
        name: "missing secret",
        sourceEvent: "leak.delivered",
        destination: { url: `${destination.url}/broken`, method: "POST", headers: { "X-Key": "<<secret.absent>>" } },
      });
      await call("POST", `${BASE}/connectors/${broken.json.id}/secret`, { name: "token", value: values.token });

      worker = deliveryWorker(open.ctx, { pollMs: 50 });
      await worker.start();
      const event = await ingest(open, "leak.delivered", { order: "o-1" });
      expect(event.deliveries).toHaveLength(2);
      const byConnector = Object.fromEntries(event.deliveries.map((d) => [d.connectorId, d.id]));
      const ok = await waitFor(async () => {
        const row = await deliveryRow(open, byConnector[id]!);
        return row.status === "SUCCESS" && row;
      });
      const failed = await waitFor(async () => {
        const row = await deliveryRow(open, byConnector[broken.json.id]!);
        return row.status === "FAILED" && row;
      });
      expect(failed.lastError).toContain("absent");

      // The destination did get the real values: masking is not a broken renderer.
      const received = destination.received.find((r) => r.url.startsWith("/hook"))!;
      expect(received.headers.authorization).toBe(`Bearer ${values.token}`);
      expect(new URL(received.url, "http://x").searchParams.get("key")).toBe(values.apiKey);
      expect(JSON.parse(received.body)).toEqual({ t: values.token, order: "o-1" });
      expect(ok.id).toBe(byConnector[id]);

      const doc = (await open.api("GET", "/openapi.json", { token: null })).json;
      const gets = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
        .filter(([path, ops]) => "get" in ops && path !== "/docs")
        .map(([path]) =>
          path
            .replace("{id}", id)
            .replace("{name}", "token")
            .replace(/\{[^}]+\}/g, "x"),
        );
      for (const path of gets) await call("GET", path);
      for (const path of gets.filter((p) => p.includes(id))) await call("GET", path.replace(id, broken.json.id));
      for (const deliveryId of Object.values(byConnector)) await call("GET", `${BASE}/deliveries/${deliveryId}`);
      // The delivery logs really were read (not a 404 that would prove nothing).
      const logs = await call("GET", `${BASE}/connectors/${id}/logs`);
      expect(logs.status).toBe(200);
      expect(logs.text).toContain(byConnector[id]);
      expect(logs.text).toContain("••••••");
      await call("POST", `${BASE}/preview`, { connectorId: id, event: { name: "leak.delivered", payload: {} } });
      // A test send takes the worker's path: the destination gets the values (and echoes them back in its
      // answer and a header); what the engine answers, logs and audits does not carry them.
      const before = destination.received.length;
      const tested = await call("POST", `${BASE}/connectors/${id}/test`, {
        event: { name: "leak.delivered", payload: { order: "o-2" } },
      });
      expect(tested.status, tested.text).toBe(200);
      expect(destination.received.length).toBe(before + 1);
      expect(destination.received.at(-1)?.headers.authorization).toBe(`Bearer ${values.token}`);
      expect(tested.json.response.headers["x-echo-auth"]).toBe("Bearer ••••••");
      expect((await call("POST", `${BASE}/connectors/${broken.json.id}/test`, {})).status).toBe(422);

      for (const [where, text] of responses) expectClean(where, text);
      expectClean("the log", lines.join("\n"));
      for (const table of ["deliveries", "delivery_attempts", "audit_log", "secret_audit", "connectors"]) {
        const rows = await execute(open.ctx.db, sql.raw(`select * from ${table}`));
        expectClean(`table ${table}`, JSON.stringify(rows));
      }
    } finally {
      await worker?.stop(2000);
      await destination.close();
      await open.close();
    }
  });

  it("nor does a value an expression computes from one (taint), in preview, attempts, responses or logs", async () => {
    const open = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1" });
    const destination = await startDestination((req, _n, res) => {
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ headers: req.headers, body: req.body }));
    });
    const lines: string[] = [];
    open.ctx.logger = pino(
      { level: "trace" },
      new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    let worker: DeliveryWorker | undefined;
    // Values derived from the secrets by the expressions below: none may be shown or stored either.
    const basic = Buffer.from(`${values.token}:${values.apiKey}`).toString("base64");
    const derived = [basic, values.token.toUpperCase(), createHash("sha256").update(values.token).digest("hex")];
    const expectNoDerived = (where: string, text: string) => {
      expectClean(where, text);
      for (const value of derived) {
        for (const spelling of [value, value.slice(0, 16), encodeURIComponent(value)]) {
          if (text.includes(spelling)) throw new Error(`a value derived from a secret leaked in ${where}`);
        }
      }
    };
    try {
      const responses: [string, string][] = [];
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await open.api(method, path, { body });
        responses.push([`${method} ${path} -> ${res.status}`, `${JSON.stringify([...res.headers])}${res.text}`]);
        return res;
      };
      const fields = {
        name: "expression leak check",
        sourceEvent: "leak.expressed",
        destination: {
          url: `${destination.url}/x`,
          method: "POST",
          headers: { Authorization: "{% 'Basic ' & $base64encode($secret('token') & ':' & $secret('apiKey')) %}" },
          query: { k: "{% $uppercase($secret('token')) %}" },
        },
        mapping: {
          shout: "{% $uppercase($secret('token')) %}",
          digest: "{% $sha256($secret('token')) %}",
          nested: "{% { 'auth': $base64encode($secret('token') & ':' & $secret('apiKey')), 'n': payload.n } %}",
          fails: "{% payload.fail ? $number($uppercase($secret('token'))) : 1 %}",
        },
        retryMaxAttempts: 1,
      };
      const created = await call("PUT", `${BASE}/connectors`, fields);
      expect(created.status, created.text).toBe(201);
      const id = created.json.id as string;
      await call("POST", `${BASE}/connectors/${id}/secret`, { name: "token", value: values.token });
      await call("POST", `${BASE}/connectors/${id}/secret`, { name: "apiKey", value: values.apiKey });

      const preview = await call("POST", `${BASE}/preview`, {
        connectorId: id,
        event: { name: "leak.expressed", payload: { n: 1 } },
      });
      expect(preview.status).toBe(200);
      expect(JSON.parse(preview.json.request.body)).toEqual({
        shout: "••••••",
        digest: "••••••",
        nested: "••••••",
        fails: 1,
      });
      expect(preview.json.request.headers.Authorization).toBe("••••••");
      await call("POST", `${BASE}/preview`, {
        connector: { ...fields, id },
        event: { name: "leak.expressed", payload: { n: 2 } },
      });
      // A failing expression that read a secret: its error hides JSONata's message, which quotes the value.
      const failing = await call("POST", `${BASE}/preview`, {
        connectorId: id,
        event: { name: "leak.expressed", payload: { fail: true } },
      });
      expect(failing.status).toBe(422);
      expect(failing.json.error.message).toMatch(/mapping\.fails: .*details are hidden because it reads a secret/);

      worker = deliveryWorker(open.ctx, { pollMs: 50 });
      await worker.start();
      const ok = await ingest(open, "leak.expressed", { n: 3 });
      const bad = await ingest(open, "leak.expressed", { fail: true });
      await waitFor(async () => (await deliveryRow(open, ok.deliveries[0]!.id)).status === "SUCCESS");
      const failed = await waitFor(async () => {
        const row = await deliveryRow(open, bad.deliveries[0]!.id);
        return row.status === "FAILED" && row;
      });
      expect(failed.lastError).toContain("mapping.fails");

      // The destination got the real derived values: masking is not a broken renderer.
      const received = destination.received.find((r) => r.url.startsWith("/x"))!;
      expect(received.headers.authorization).toBe(`Basic ${basic}`);
      expect(JSON.parse(received.body).shout).toBe(values.token.toUpperCase());

      for (const deliveryId of [ok.deliveries[0]!.id, bad.deliveries[0]!.id]) {
        await call("GET", `${BASE}/deliveries/${deliveryId}`);
      }
      const logs = await call("GET", `${BASE}/connectors/${id}/logs`);
      expect(logs.text).toContain(ok.deliveries[0]!.id);
      await call("GET", `${BASE}/audit?limit=500`);

      for (const [where, text] of responses) expectNoDerived(where, text);
      expectNoDerived("the log", lines.join("\n"));
      for (const table of ["deliveries", "delivery_attempts", "audit_log", "connectors", "events"]) {
        const rows = await execute(open.ctx.db, sql.raw(`select * from ${table}`));
        expectNoDerived(`table ${table}`, JSON.stringify(rows));
      }
    } finally {
      await worker?.stop(2000);
      await destination.close();
      await open.close();
    }
  });
});
