import { newId } from "@ib/core/ids";
import { connectors, integrationRegistry, routingVersion } from "@ib/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContext } from "../src/bootstrap.ts";
import { type AppContext, systemContext } from "../src/context.ts";
import { ingestEvents } from "../src/verbs/events/ingest-events.ts";
import { createConnector, uniqueEventName } from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

// Ingest routes from a per-process cache; these tests change connectors behind the back of a second app context
// (as another engine process would) and check its very next event already follows the change: no notification,
// no expiry — the ingest statement itself refuses to write with an outdated routing version.
describe.each(testDrivers())("ingest routing cache on %s", (driver) => {
  let engine: TestEngine;
  let other: AppContext;
  const url = "http://127.0.0.1:9/unused";
  beforeAll(async () => {
    engine = await startTestEngine(driver);
    other = await createContext(engine.ctx.env, { logger: engine.ctx.logger, dbHandle: engine.ctx.dbHandle });
  });
  afterAll(async () => engine?.close());

  const ingest = async (name: string, payload: unknown = {}) => {
    const [result] = await ingestEvents({
      ctx: systemContext(other),
      input: { items: [{ event: { name, payload, attributes: {} } }] },
    });
    return (result?.deliveries ?? []).map((d) => d.connectorId).sort();
  };

  it("a connector created, disabled, re-pointed or deleted elsewhere is followed by the next event", async () => {
    const name = uniqueEventName("route");
    expect(await ingest(name)).toEqual([]); // caches "no connector" for the name
    const a = await createConnector(engine, { url, sourceEvent: name });
    expect(await ingest(name)).toEqual([a.id]);
    const b = await createConnector(engine, { url, sourceEvent: `${name.split(".")[0]}.*` });
    expect(await ingest(name)).toEqual([a.id, b.id].sort());
    await engine.ctx.db.update(connectors).set({ enabled: false }).where(eq(connectors.id, a.id));
    expect(await ingest(name)).toEqual([b.id]);
    await engine.ctx.db.update(connectors).set({ sourceEvent: "elsewhere" }).where(eq(connectors.id, b.id));
    expect(await ingest(name)).toEqual([]);
    await engine.ctx.db.update(connectors).set({ enabled: true }).where(eq(connectors.id, a.id));
    expect(await ingest(name)).toEqual([a.id]);
    await engine.ctx.db.delete(connectors).where(eq(connectors.id, a.id));
    expect(await ingest(name)).toEqual([]);
  });

  it("a filter changed elsewhere applies to the next event", async () => {
    const name = uniqueEventName("filtered");
    const c = await createConnector(engine, { url, sourceEvent: name });
    expect(await ingest(name, { amount: 5 })).toEqual([c.id]);
    await engine.ctx.db
      .update(connectors)
      .set({ filter: { all: [{ path: "$.payload.amount", op: "gt", value: 10 }] }, version: 2 })
      .where(eq(connectors.id, c.id));
    expect(await ingest(name, { amount: 5 })).toEqual([]);
    expect(await ingest(name, { amount: 50 })).toEqual([c.id]);
  });

  it("an Integration Registry switch made elsewhere routes the next event to the newly active provider", async () => {
    const name = uniqueEventName("pay");
    const providerType = `psp${Date.now()}`;
    const first = await createConnector(engine, { url, sourceEvent: name, tags: { providerType } });
    const second = await createConnector(engine, { url, sourceEvent: name, tags: { providerType } });
    const entry = (connectorId: string, active: boolean) => ({
      id: newId("registry"),
      country: "BR",
      providerType,
      connectorId,
      active,
    });
    await engine.ctx.db.insert(integrationRegistry).values([entry(first.id, true), entry(second.id, false)]);
    const payload = { country: "BR", providerType };
    expect(await ingest(name, payload)).toEqual([first.id]);
    await engine.ctx.db
      .update(integrationRegistry)
      .set({ active: false })
      .where(eq(integrationRegistry.connectorId, first.id));
    await engine.ctx.db
      .update(integrationRegistry)
      .set({ active: true })
      .where(eq(integrationRegistry.connectorId, second.id));
    expect(await ingest(name, payload)).toEqual([second.id]);
  });

  it("without its version row, ingest still routes correctly (through a transaction) until a change restores it", async () => {
    const name = uniqueEventName("norow");
    const c = await createConnector(engine, { url, sourceEvent: name });
    await engine.ctx.db.delete(routingVersion);
    other.routing.invalidate();
    expect(await ingest(name)).toEqual([c.id]);
    await engine.ctx.db.update(connectors).set({ enabled: false }).where(eq(connectors.id, c.id));
    expect(await engine.ctx.db.select().from(routingVersion)).toHaveLength(1);
    expect(await ingest(name)).toEqual([]);
  });
});
