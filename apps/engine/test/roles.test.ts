import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, PUBLIC_ADMIN_PATHS } from "../src/app.ts";
import { ANY_TOKEN } from "../src/auth/guard.ts";
import { can, PERMISSIONS, type Permission, ROLES } from "../src/auth/permissions.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

/**
 * The auth cases of every operation, generated from /openapi.json (after unkey's shared role tests): a
 * new route is covered the day it is added, and one without a declared permission fails here.
 */

/** Operations without `x-permission`, and what protects each instead. Anything else must declare one. */
const PUBLIC_OPERATIONS: Record<string, string> = {
  "GET /healthz": "open: liveness",
  "GET /readyz": "open: readiness",
  "GET /metrics": "open unless IB_METRICS_TOKEN is set (prometheus.test.ts)",
  "GET /asyncapi.json": "open, like /openapi.json: the event catalog for producers and consumers (catalog.test.ts)",
  "POST /v1/webhooks/{sourceId}": "the provider's signature (inbound.test.ts, webhooks.test.ts)",
};

/** Served outside the OpenAPI document, open to anyone. */
const UNDOCUMENTED_PUBLIC = ["/openapi.json", "/docs", "/docs/scalar.js"];

interface Operation {
  key: string;
  method: string;
  /** The path with every template filled with an id that does not exist. */
  url: string;
  permission: unknown;
  security: unknown;
}

function operationsOf(document: { paths: Record<string, Record<string, Record<string, unknown>>> }): Operation[] {
  const methods = ["get", "put", "post", "delete", "patch", "head", "options"];
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => methods.includes(method))
      .map(([method, operation]) => ({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        url: path.replaceAll(/\{(\w+)\}/g, (_, name: string) => `${name}_doesnotexist`),
        permission: operation["x-permission"],
        security: operation.security,
      })),
  );
}

/** Runs `check` for each item and reports every failure at once, naming the operation. */
async function failuresOf<T>(items: T[], name: (item: T) => string, check: (item: T) => Promise<void>) {
  const failures: string[] = [];
  for (const item of items) {
    try {
      await check(item);
    } catch (error) {
      failures.push(`${name(item)}: ${(error as Error).message}`);
    }
  }
  return failures;
}

describe.each(testDrivers())("roles for every operation in /openapi.json on %s", (driver) => {
  let engine: TestEngine;
  let operations: Operation[];
  let guarded: Operation[];
  let revokedToken: string;

  beforeAll(async () => {
    engine = await startTestEngine(driver);
    const document = await engine.api("GET", "/openapi.json", { token: null });
    expect(document.status).toBe(200);
    operations = operationsOf(document.json);
    guarded = operations.filter((o) => o.permission !== undefined);

    const created = await engine.api("POST", "/admin/integration-builder/tokens", {
      body: { name: "roles test, revoked", role: "admin" },
    });
    expect(created.status).toBe(201);
    revokedToken = created.json.value;
    const revoked = await engine.api("DELETE", `/admin/integration-builder/tokens/${created.json.token.id}`);
    expect(revoked.status).toBe(200);
  });
  afterAll(async () => engine?.close());

  it("finds the operations (the walk below is not vacuous)", () => {
    expect(operations.length).toBeGreaterThan(30);
    expect(guarded.length).toBe(operations.length - Object.keys(PUBLIC_OPERATIONS).length);
  });

  it("declares a permission on every operation except the known public ones", () => {
    const undeclared = operations.filter((o) => o.permission === undefined).map((o) => o.key);
    expect(undeclared.sort()).toEqual(Object.keys(PUBLIC_OPERATIONS).sort());
    expect(operations.filter((o) => o.url.startsWith("/admin/") && o.permission === undefined)).toEqual([]);
    for (const o of guarded) {
      expect([...PERMISSIONS, ANY_TOKEN], o.key).toContain(o.permission);
      expect(o.security, o.key).toEqual([{ bearer: [] }]);
    }
    // Nothing under /admin is public today; a path added to PUBLIC_ADMIN_PATHS must be argued for here.
    expect(PUBLIC_ADMIN_PATHS).toEqual([]);
  });

  it("answers the public operations without a token", async () => {
    for (const path of ["/healthz", "/readyz", "/metrics", ...UNDOCUMENTED_PUBLIC]) {
      expect((await engine.api("GET", path, { token: null })).status, path).toBe(200);
    }
    // The signature, not a bearer token, decides: an unknown source is a 404, not a 401.
    expectEnvelope(await engine.api("POST", "/v1/webhooks/src_doesnotexist", { token: null, raw: "{}" }), 404);
  });

  it("answers 401 with the envelope without a token, for every guarded operation", async () => {
    const failures = await failuresOf(
      guarded,
      (o) => o.key,
      async (o) => expectEnvelope(await engine.api(o.method, o.url, { token: null }), 401, "UNAUTHORIZED"),
    );
    expect(failures).toEqual([]);
  });

  it("answers 401 with the envelope for a revoked token and for a made-up one", async () => {
    const failures = await failuresOf(
      guarded.flatMap((o) => [
        { o, token: revokedToken, kind: "revoked" },
        { o, token: "ib_not-a-real-token", kind: "made-up" },
      ]),
      ({ o, kind }) => `${o.key} (${kind})`,
      async ({ o, token }) => expectEnvelope(await engine.api(o.method, o.url, { token }), 401, "UNAUTHORIZED"),
    );
    expect(failures).toEqual([]);
  });

  it("answers 403 with the envelope to every role without the operation's permission", async () => {
    const cases = guarded.flatMap((o) =>
      ROLES.filter((role) => o.permission !== ANY_TOKEN && !can(role, o.permission as Permission)).map((role) => ({
        o,
        role,
      })),
    );
    expect(cases.length).toBeGreaterThan(0);
    const failures = await failuresOf(
      cases,
      ({ o, role }) => `${o.key} as ${role}`,
      async ({ o, role }) =>
        expectEnvelope(await engine.api(o.method, o.url, { token: engine.tokens[role] }), 403, "FORBIDDEN"),
    );
    expect(failures).toEqual([]);
  });

  it("lets every role with the permission past the guard (the declared permission is the enforced one)", async () => {
    // Without a body and with ids that do not exist, an allowed call ends in 200, 400 or 404: never 401/403.
    const cases = guarded.flatMap((o) =>
      ROLES.filter((role) => o.permission === ANY_TOKEN || can(role, o.permission as Permission)).map((role) => ({
        o,
        role,
      })),
    );
    const failures = await failuresOf(
      cases,
      ({ o, role }) => `${o.key} as ${role}`,
      async ({ o, role }) => {
        const res = await engine.api(o.method, o.url, { token: engine.tokens[role] });
        if (res.status === 401 || res.status === 403 || res.status >= 500)
          throw new Error(`got ${res.status}: ${res.text.slice(0, 200)}`);
      },
    );
    expect(failures).toEqual([]);
  });

  it("refuses a route under /admin that forgot its guard, and an unknown /admin path, without a token", async () => {
    const app = createApp(engine.ctx);
    app.get("/admin/integration-builder/forgot-its-guard", (c) => c.json({ ok: true }));
    const unguarded = async (token?: string) => {
      const res = await app.request("/admin/integration-builder/forgot-its-guard", {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      return { status: res.status, json: await res.json() };
    };
    expectEnvelope(await unguarded(), 401, "UNAUTHORIZED");
    expectEnvelope(await unguarded(revokedToken), 401, "UNAUTHORIZED");
    expect((await unguarded(engine.tokens.viewer)).status).toBe(200);

    expectEnvelope(await engine.api("GET", "/admin/integration-builder/no-such-route", { token: null }), 401);
    expectEnvelope(await engine.api("GET", "/admin/integration-builder/no-such-route"), 404, "NOT_FOUND");
  });
});
