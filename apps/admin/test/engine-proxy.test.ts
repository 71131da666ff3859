import { describe, expect, it } from "vitest";
import { ALSO_FORWARDED, isForwardable, NOT_FORWARDED } from "../lib/engine";
import { ENGINE_OPERATIONS } from "../lib/engine-routes.generated";

/** A path template with every `{name}` filled with an id-like segment. */
const fill = (path: string) => path.replaceAll(/\{[^}]+\}/g, "x_01m8:v2.a-b");

describe("the admin's engine proxy allowlist", () => {
  it("forwards every operation of the engine's admin API and ingest", () => {
    const admin = ENGINE_OPERATIONS.filter(
      ([method, path]) => path.startsWith("/admin/integration-builder/") && !(`${method} ${path}` in NOT_FORWARDED),
    );
    expect(admin.length).toBeGreaterThan(30);
    for (const [method, path] of admin) expect(isForwardable(method, fill(path)), `${method} ${path}`).toBe(true);
    expect(isForwardable("GET", "/admin/integration-builder/me")).toBe(true);
    expect(isForwardable("POST", "/admin/integration-builder/connectors/con_01m80x/retry-dlq")).toBe(true);
    expect(isForwardable("DELETE", "/admin/integration-builder/connectors/con_1/secrets/apiKey")).toBe(true);
    expect(isForwardable("POST", "/admin/integration-builder/presets/stripe-payment-intent/connectors")).toBe(true);
    expect(isForwardable("POST", "/v1/events")).toBe(true);
  });

  it("names only operations the engine has in its lists of exceptions", () => {
    const operations = new Set(ENGINE_OPERATIONS.map(([method, path]) => `${method} ${path}`));
    for (const key of [...ALSO_FORWARDED, ...Object.keys(NOT_FORWARDED)]) expect(operations, key).toContain(key);
  });

  it("refuses the engine's other routes", () => {
    const outside = ENGINE_OPERATIONS.filter(
      ([method, path]) =>
        !path.startsWith("/admin/integration-builder/") && !ALSO_FORWARDED.includes(`${method} ${path}`),
    );
    expect(outside.map(([method, path]) => `${method} ${path}`)).toEqual(
      expect.arrayContaining(["GET /healthz", "GET /metrics", "POST /v1/events/batch", "POST /v1/webhooks/{sourceId}"]),
    );
    for (const [method, path] of outside) expect(isForwardable(method, fill(path)), `${method} ${path}`).toBe(false);
    expect(isForwardable("POST", "/admin/integration-builder/report-control-plane")).toBe(false);
    expect(isForwardable("GET", "/openapi.json")).toBe(false);
    expect(isForwardable("GET", "/docs")).toBe(false);
  });

  it("refuses other methods and odd paths", () => {
    expect(isForwardable("DELETE", "/admin/integration-builder/connectors")).toBe(false);
    expect(isForwardable("PATCH", "/admin/integration-builder/connectors/con_1")).toBe(false);
    expect(isForwardable("get", "/admin/integration-builder/me")).toBe(false);
    expect(isForwardable("GET", "/admin/integration-builder/connectors/a/b/logs")).toBe(false);
    expect(isForwardable("GET", "/admin/integration-builder/connectors//logs")).toBe(false);
    expect(isForwardable("GET", "/admin/integration-builder/connectors/con_1%2F..%2Ftokens")).toBe(false);
    expect(isForwardable("GET", "/admin/integration-builder/connectors/..")).toBe(false);
    expect(isForwardable("GET", "/admin/integration-builder/connectors/.")).toBe(false);
    expect(isForwardable("GET", `/admin/integration-builder/connectors/${"a".repeat(121)}`)).toBe(false);
    expect(isForwardable("GET", "/admin/integration-builder/me?x=1")).toBe(false);
    expect(isForwardable("GET", "/admin/integration-builder/me/")).toBe(false);
    expect(isForwardable("GET", "/api/engine/admin/integration-builder/me")).toBe(false);
  });
});
