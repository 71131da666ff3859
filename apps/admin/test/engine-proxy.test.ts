import { describe, expect, it } from "vitest";
import { isForwardable } from "../lib/engine";

describe("the admin's engine proxy whitelist", () => {
  it("forwards the routes the admin has pages for", () => {
    expect(isForwardable("GET", "/admin/integration-builder/me")).toBe(true);
    expect(isForwardable("PUT", "/admin/integration-builder/connectors")).toBe(true);
    expect(isForwardable("POST", "/admin/integration-builder/connectors/con_01m80x/retry-dlq")).toBe(true);
    expect(isForwardable("DELETE", "/admin/integration-builder/connectors/con_1/secrets/apiKey")).toBe(true);
    expect(isForwardable("POST", "/admin/integration-builder/presets/stripe-payment-intent/connectors")).toBe(true);
    expect(isForwardable("POST", "/v1/events")).toBe(true);
  });

  it("refuses other routes, other methods and odd paths", () => {
    expect(isForwardable("GET", "/healthz")).toBe(false);
    expect(isForwardable("GET", "/metrics")).toBe(false);
    expect(isForwardable("POST", "/admin/integration-builder/report-control-plane")).toBe(false);
    expect(isForwardable("GET", "/admin/integration-builder/sources/src_1/webhooks/whk_1")).toBe(false);
    expect(isForwardable("DELETE", "/admin/integration-builder/connectors")).toBe(false);
    expect(isForwardable("PATCH", "/admin/integration-builder/connectors/con_1")).toBe(false);
    expect(isForwardable("GET", "/admin/integration-builder/connectors/a/b/logs")).toBe(false);
    expect(isForwardable("GET", "/admin/integration-builder/connectors/con_1%2F..%2Ftokens")).toBe(false);
    expect(isForwardable("GET", "/admin/integration-builder/me?x=1")).toBe(false);
  });
});
