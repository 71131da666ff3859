import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

type Entry = {
  action: string;
  actorId: string | null;
  actorName: string | null;
  target: string | null;
  targetName: string | null;
};

describe.each(testDrivers())("audit entries carry names on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver);
  });
  afterAll(async () => engine?.close());

  const connector = (name: string) => ({
    name,
    sourceEvent: "order.created",
    destination: { url: "https://erp.example.com/orders", method: "POST" },
  });
  const entries = async (query = "") => {
    const res = await engine.api("GET", `/admin/integration-builder/audit?limit=200${query}`);
    expect(res.status).toBe(200);
    return res.json.entries as Entry[];
  };

  it("names the actor's token and the connector, token or source a target id stands for", async () => {
    const created = await engine.api("PUT", "/admin/integration-builder/connectors", {
      body: connector("Orders to ERP"),
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    // Renamed afterwards: every entry about it shows the name it has now.
    const renamed = await engine.api("PUT", "/admin/integration-builder/connectors", {
      body: { ...connector("Orders to ERP (EU)"), id, version: created.json.version },
    });
    expect(renamed.status).toBe(200);
    const token = await engine.api("POST", "/admin/integration-builder/tokens", {
      body: { name: "ci deploy", role: "viewer" },
    });
    expect(token.status).toBe(201);
    const source = await engine.api("PUT", "/admin/integration-builder/sources", {
      body: { name: "Stripe payments", verifier: "stripe", eventName: "payment.confirmed" },
    });
    expect(source.status, source.text).toBe(201);

    const about = (target: string) => entries(`&target=${encodeURIComponent(target)}`);
    const onConnector = await about(id);
    expect(onConnector.map((e) => e.action)).toEqual(["connector.update", "connector.create"]);
    for (const e of onConnector) {
      expect(e).toMatchObject({ target: id, targetName: "Orders to ERP (EU)", actorName: "test admin" });
      expect(e.actorId).toMatch(/^tok_/);
    }
    expect((await about(token.json.token.id))[0]).toMatchObject({ action: "token.create", targetName: "ci deploy" });
    expect((await about(source.json.source?.id ?? source.json.id))[0]?.targetName).toBe("Stripe payments");
    // Tokens made by the engine itself (the harness's) are acted by the engine.
    const system = (await entries("&action=token.create")).filter((e) => e.actorId === "system");
    expect(system.length).toBeGreaterThan(0);
    for (const e of system) expect(e.actorName).toBe("engine");
  });

  it("keeps the last recorded name of a deleted connector, and leaves other targets unnamed", async () => {
    const created = await engine.api("PUT", "/admin/integration-builder/connectors", {
      body: connector("Short-lived"),
    });
    const id = created.json.id as string;
    expect((await engine.api("DELETE", `/admin/integration-builder/connectors/${id}`)).status).toBeLessThan(300);
    const trail = await entries(`&target=${id}`);
    expect(trail[0]?.action).toBe("connector.delete");
    for (const e of trail) expect(e.targetName).toBe("Short-lived");

    // Targets that are names already (a registry slot) get no second name.
    const registry = await engine.api("PUT", "/admin/integration-builder/registry", {
      body: {
        country: "BR",
        providerType: "payments",
        connectorId: (
          await engine.api("PUT", "/admin/integration-builder/connectors", { body: connector("BR payments") })
        ).json.id,
      },
    });
    expect(registry.status, registry.text).toBeLessThan(300);
    const [entry] = await entries("&target=BR/payments");
    expect(entry).toMatchObject({ target: "BR/payments", targetName: null });
  });
});
