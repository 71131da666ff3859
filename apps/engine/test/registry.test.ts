import { auditLog, deliveries } from "@ib/db";
import { eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context.ts";
import { ingestEvents } from "../src/verbs/events/ingest-events.ts";
import { registryOverridesFor } from "../src/verbs/registry/route-by-registry.ts";
import { createConnector, uniqueEventName } from "./delivery-fixtures.ts";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

const BASE = "/admin/integration-builder/registry";
const url = "http://127.0.0.1:9/unused";

describe.each(testDrivers())("Integration Registry on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver);
  });
  afterAll(async () => engine?.close());

  const put = (body: Record<string, unknown>, token?: string) => engine.api("PUT", BASE, { body, token });
  const ingest = (name: string, payload: unknown) =>
    engine.api("POST", "/v1/events", { token: engine.tokens.ingest, body: { name, payload } });

  it("routes an event naming country and providerType only to the active connector; switching is one audited change", async () => {
    const name = uniqueEventName("payment.requested");
    const stripe = await createConnector(engine, { url, sourceEvent: name, tags: { providerType: "payments" } });
    const mercadoPago = await createConnector(engine, { url, sourceEvent: name, tags: { providerType: "payments" } });
    const auditFeed = await createConnector(engine, { url, sourceEvent: `${name.split(".")[0]}.*` });

    const a = await put({ country: "BR", providerType: "payments", connectorId: stripe.id, active: true });
    expect(a.status).toBe(201);
    expect(a.json.entry).toMatchObject({
      country: "BR",
      providerType: "payments",
      connectorId: stripe.id,
      active: true,
      connectorName: stripe.name,
    });
    expect(
      (await put({ country: "BR", providerType: "payments", connectorId: mercadoPago.id })).json.entry.active,
    ).toBe(false);

    const first = await ingest(name, { country: "BR", providerType: "payments", amount: 10 });
    expect(first.json.deliveries.map((d: { connectorId: string }) => d.connectorId).sort()).toEqual(
      [stripe.id, auditFeed.id].sort(),
    );

    // Events without the pair, or for another pair's type, fan out as usual.
    const plain = await ingest(name, { amount: 10 });
    expect(plain.json.deliveries).toHaveLength(3);

    const switched = await put({
      country: "BR",
      providerType: "payments",
      connectorId: mercadoPago.id,
      active: true,
      overrides: { timeoutMs: 3000 },
    });
    expect(switched.status).toBe(200);
    const list = await engine.api("GET", `${BASE}?country=BR&providerType=payments`, { token: engine.tokens.viewer });
    expect(list.json.entries.map((e: { connectorId: string; active: boolean }) => [e.connectorId, e.active])).toEqual([
      [stripe.id, false],
      [mercadoPago.id, true],
    ]);
    const activation = await engine.ctx.db.select().from(auditLog).where(eq(auditLog.action, "registry.activate"));
    expect(activation.at(-1)?.details).toMatchObject({
      connectorId: mercadoPago.id,
      previousConnectorId: stripe.id,
      active: true,
    });

    // Attributes (CloudEvents extensions are lower case) work like payload fields; country is case-insensitive.
    const [viaAttributes] = await ingestEvents({
      ctx: systemContext(engine.ctx),
      input: {
        items: [{ event: { name, payload: { amount: 1 }, attributes: { country: "br", providertype: "payments" } } }],
      },
    });
    expect(viaAttributes?.deliveries.map((d) => d.connectorId).sort()).toEqual([mercadoPago.id, auditFeed.id].sort());

    // A batch with two pairs is routed per pair, not once per name.
    const [br, ar] = await ingestEvents({
      ctx: systemContext(engine.ctx),
      input: {
        items: [
          { event: { name, payload: { country: "BR", providerType: "payments" }, attributes: {} } },
          { event: { name, payload: { country: "AR", providerType: "payments" }, attributes: {} } },
        ],
      },
    });
    expect(br?.deliveries.map((d) => d.connectorId)).toContain(mercadoPago.id);
    // AR has no active payments provider: its payments connectors get FAILED deliveries, the feed a normal one.
    const arRows = await engine.ctx.db
      .select()
      .from(deliveries)
      .where(eq(deliveries.eventId, ar?.id as string));
    expect(arRows.map((d) => [d.connectorId, d.status]).sort()).toEqual(
      [
        [stripe.id, "FAILED"],
        [mercadoPago.id, "FAILED"],
        [auditFeed.id, "PENDING"],
      ].sort(),
    );

    expect(
      await registryOverridesFor({
        ctx: systemContext(engine.ctx),
        input: { connectorId: mercadoPago.id, event: { payload: { country: "BR", providerType: "payments" } } },
      }),
    ).toEqual({ timeoutMs: 3000 });
    expect(
      await registryOverridesFor({
        ctx: systemContext(engine.ctx),
        input: { connectorId: stripe.id, event: { payload: { country: "BR", providerType: "payments" } } },
      }),
    ).toEqual({});
  });

  it("no active provider: the delivery is FAILED with a clear error", async () => {
    const name = uniqueEventName("sms.requested");
    const twilio = await createConnector(engine, { url, sourceEvent: name, tags: { providerType: "messaging" } });
    const entry = await put({ country: "MX", providerType: "messaging", connectorId: twilio.id, active: true });
    await put({ country: "MX", providerType: "messaging", connectorId: twilio.id, active: false });

    const res = await ingest(name, { country: "MX", providerType: "messaging", to: "+52" });
    expect(res.status).toBe(202);
    expect(res.json.deliveries).toHaveLength(1);
    const [delivery] = await engine.ctx.db
      .select()
      .from(deliveries)
      .where(eq(deliveries.id, res.json.deliveries[0].id));
    expect(delivery?.status).toBe("FAILED");
    expect(delivery?.lastError).toMatch(/No active messaging provider for country MX in the Integration Registry/);
    expect(delivery?.completedAt).not.toBeNull();

    // Deleting an entry is audited too.
    const del = await engine.api("DELETE", `${BASE}/${entry.json.entry.id}`);
    expect(del.json).toEqual({ id: entry.json.entry.id, deleted: true });
    expect(
      (await engine.ctx.db.select().from(auditLog).where(like(auditLog.action, "registry.%"))).some(
        (a) => a.action === "registry.delete",
      ),
    ).toBe(true);
    expectEnvelope(await engine.api("DELETE", `${BASE}/${entry.json.entry.id}`), 404);
  });

  it("refuses bad input and the wrong roles", async () => {
    const c = await createConnector(engine, { url });
    for (const body of [
      { country: "brazil", providerType: "payments", connectorId: c.id },
      { country: "BR", providerType: "Payments!", connectorId: c.id },
      { country: "BR", providerType: "payments" },
      { country: "BR", providerType: "payments", connectorId: c.id, overrides: { timeoutMs: 1 } },
      { country: "BR", providerType: "payments", connectorId: c.id, overrides: { unknown: 1 } },
      { country: "BR", providerType: "payments", connectorId: c.id, extra: true },
    ]) {
      expectEnvelope(await put(body), 400);
    }
    expectEnvelope(await put({ country: "BR", providerType: "payments", connectorId: "con_missing" }), 404);
    expectEnvelope(await engine.api("GET", `${BASE}?country=xx`), 400);
    expectEnvelope(await put({ country: "BR", providerType: "maps", connectorId: c.id }, engine.tokens.viewer), 403);
    expectEnvelope(await engine.api("GET", BASE, { token: null }), 401);
    expectEnvelope(await engine.api("GET", BASE, { token: engine.tokens.ingest }), 403);
  });
});
