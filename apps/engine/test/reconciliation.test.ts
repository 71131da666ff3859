import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context.ts";
import { sweepExpectations } from "../src/reconciliation/sweep.ts";
import { buildReport } from "../src/reporter/build-report.ts";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import { attemptRows, deliveryRow, ingest } from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";
import {
  captureLogs,
  expectationFor,
  expectingConnector,
  listExpectations,
  metricValue,
  paymentsDestination,
} from "./reconciliation-fixtures.ts";

describe.each(testDrivers())("reconciliation on %s", (driver) => {
  let engine: TestEngine;
  let worker: DeliveryWorker;
  let logs: ReturnType<typeof captureLogs>;
  let destination: Awaited<ReturnType<typeof paymentsDestination>>;
  const cleanup: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1", IB_WORKER_POLL_MS: "50" });
    logs = captureLogs(engine);
    worker = deliveryWorker(engine.ctx);
    await worker.start();
    destination = await paymentsDestination((body) => {
      if (body.orderId === "html") return { type: "application/json", body: "<html>gateway error page</html>" };
      if (body.orderId === "big") {
        return { body: JSON.stringify({ padding: "x".repeat(200_000), id: "pay_big", amount: body.amount }) };
      }
      return undefined;
    });
    cleanup.push(() => destination.close());
  });
  afterAll(async () => {
    await worker?.stop(2000);
    for (const fn of cleanup) await fn();
    await engine?.close();
  });

  const sweep = () => sweepExpectations(systemContext(engine.ctx), { batchSize: 100 });

  /** Ingest the connector's source event; wait for its delivery's SUCCESS and its expectation. */
  async function pay(connector: { id: string; sourceEvent: string }, payload: Record<string, unknown>) {
    const res = await ingest(engine, connector.sourceEvent, payload);
    const deliveryId = res.deliveries[0]!.id;
    await waitFor(async () => (await deliveryRow(engine, deliveryId)).status === "SUCCESS", {
      message: `delivery ${deliveryId} to succeed`,
    });
    return { eventId: res.id, deliveryId, expectation: await expectationFor(engine, connector.id, deliveryId) };
  }

  it("OBSERVED: the key comes from the response body; the confirmation closes it; detail and summary show it", async () => {
    const connector = await expectingConnector(engine, destination.url);
    const { deliveryId, eventId, expectation: opened } = await pay(connector, { orderId: "o1", amount: 4990 });
    expect(opened).toMatchObject({
      status: "OPEN",
      connectorId: connector.id,
      eventId,
      eventName: connector.eventName,
      key: expect.stringMatching(/^pay_\d+_o1$/),
      keyError: null,
      expected: [{ expected: "$.event.payload.amount", observed: "$.payload.amount", value: 4990 }],
      observed: null,
      late: false,
    });
    expect(new Date(opened.dueAt).getTime() - new Date(opened.openedAt).getTime()).toBe(60_000);
    expect(await metricValue(engine, "ib_expectations_open", connector.id)).toBe(1);

    const confirmation = await ingest(engine, connector.eventName, { paymentId: opened.key, amount: 4990 });
    const [closed] = await listExpectations(engine, { connectorId: connector.id, status: "OBSERVED" });
    expect(closed).toMatchObject({ id: opened.id, observedEventId: confirmation.id, differences: [], late: false });
    expect(closed?.closedAt).toBeTruthy();
    expect(await metricValue(engine, "ib_expectations_open", connector.id)).toBe(0);

    const detail = await engine.api("GET", `/admin/integration-builder/reconciliation/${opened.id}`);
    expect(detail.status).toBe(200);
    expect(detail.json).toMatchObject({
      status: "OBSERVED",
      delivery: { id: deliveryId, status: "SUCCESS", lastStatusCode: 201 },
      event: { id: eventId, payload: { orderId: "o1", amount: 4990 } },
      observedEvent: { id: confirmation.id, name: connector.eventName, payload: { paymentId: opened.key } },
      observed: [{ observed: "$.payload.amount", value: 4990 }],
    });

    const summary = await engine.api(
      "GET",
      `/admin/integration-builder/reconciliation/summary?connectorId=${connector.id}`,
    );
    expect(summary.status).toBe(200);
    expect(summary.json.totals).toEqual({ OPEN: 0, OBSERVED: 1, MISMATCH: 0, MISSING: 0, UNEXPECTED: 0 });
    expect(summary.json.connectors).toEqual([
      expect.objectContaining({ connectorId: connector.id, counts: summary.json.totals, oldestOpenAt: null }),
    ]);
    expect(summary.json.timeToObserveMs.count).toBe(1);
    expect(summary.json.timeToObserveMs.p50).toBeGreaterThanOrEqual(0);
    expect(logs.alerts("expectation_mismatch", opened.id)).toHaveLength(0);
  });

  it("OBSERVED: the key comes from the delivered event (and a {% %} expression reads it from the confirmation)", async () => {
    const connector = await expectingConnector(engine, destination.url, {
      key: "$.event.payload.orderId",
      eventKey: "{% payload.order.ref %}",
      compare: [],
    });
    const { expectation } = await pay(connector, { orderId: "ord_77", amount: 1 });
    expect(expectation).toMatchObject({ status: "OPEN", key: "ord_77", expected: [] });
    await ingest(engine, connector.eventName, { order: { ref: "ord_77" } });
    expect((await listExpectations(engine, { connectorId: connector.id }))[0]).toMatchObject({ status: "OBSERVED" });
  });

  it("MISMATCH on a different amount, with one alert line naming both values", async () => {
    const connector = await expectingConnector(engine, destination.url);
    const { expectation } = await pay(connector, { orderId: "o2", amount: 4990 });
    await ingest(engine, connector.eventName, { paymentId: expectation.key, amount: 4900 });
    const [closed] = await listExpectations(engine, { connectorId: connector.id });
    expect(closed).toMatchObject({ status: "MISMATCH", differences: [0], observed: [{ value: 4900 }] });
    const alerts = logs.alerts("expectation_mismatch", expectation.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      level: 40,
      msg: "alert: expectation mismatch",
      connectorId: connector.id,
      key: expectation.key,
      differences: [{ expected: "$.event.payload.amount", expectedValue: 4990, observedValue: 4900 }],
    });
  });

  it("MISSING after withinMs (alert line, metric), then a late confirmation makes it OBSERVED with late: true", async () => {
    const connector = await expectingConnector(engine, destination.url, { withinMs: 1000 });
    const { expectation } = await pay(connector, { orderId: "o3", amount: 10 });
    expect((await sweep()).missing).toBe(0); // not due yet
    await new Promise((resolve) => setTimeout(resolve, 1100 - (Date.now() - new Date(expectation.openedAt).getTime())));
    await waitFor(async () => (await sweep()).missing > 0 || null, { message: "the sweep to mark it MISSING" });
    const [missing] = await listExpectations(engine, { connectorId: connector.id, status: "MISSING" });
    expect(missing).toMatchObject({ id: expectation.id, late: false });
    expect(missing?.missingAt).toBeTruthy();
    const alerts = logs.alerts("expectation_missing", expectation.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ level: 40, connectorId: connector.id, deliveryId: expectation.deliveryId });
    expect(await metricValue(engine, "ib_expectations_missing_total", connector.id)).toBe(1);
    expect((await sweep()).missing).toBe(0); // never twice
    // The control-plane report counts what is MISSING now.
    const totals = (await engine.api("GET", "/admin/integration-builder/reconciliation/summary")).json.totals;
    expect(totals.MISSING).toBeGreaterThanOrEqual(1);
    expect((await buildReport({ ctx: systemContext(engine.ctx) })).expectationsMissing).toBe(totals.MISSING);

    const late = await ingest(engine, connector.eventName, { paymentId: expectation.key, amount: 10 });
    const [observed] = await listExpectations(engine, { connectorId: connector.id });
    expect(observed).toMatchObject({ status: "OBSERVED", late: true, observedEventId: late.id });
    expect(observed?.missingAt).toBe(missing?.missingAt);
    expect(
      logs.lines.some(
        (l) => l.expectationId === expectation.id && /after its expectation was marked MISSING/.test(l.msg),
      ),
    ).toBe(true);
    expect(logs.alerts("expectation_missing", expectation.id)).toHaveLength(1);
  });

  it("UNEXPECTED: an unknown key, a second confirmation and an event without a key", async () => {
    const connector = await expectingConnector(engine, destination.url);
    const { expectation } = await pay(connector, { orderId: "o4", amount: 5 });
    const stranger = await ingest(engine, connector.eventName, { paymentId: "pay_nobody", amount: 5 });
    await ingest(engine, connector.eventName, { paymentId: expectation.key, amount: 5 });
    const again = await ingest(engine, connector.eventName, { paymentId: expectation.key, amount: 5 });
    const keyless = await ingest(engine, connector.eventName, { amount: 5 });
    const unexpected = await listExpectations(engine, { connectorId: connector.id, status: "UNEXPECTED" });
    const byEvent = new Map(unexpected.map((u) => [u.eventId, u]));
    expect(unexpected).toHaveLength(3);
    expect(byEvent.get(stranger.id)).toMatchObject({
      status: "UNEXPECTED",
      key: "pay_nobody",
      reason: "no_expectation",
    });
    expect(byEvent.get(again.id)).toMatchObject({ reason: "already_closed", expectationId: expectation.id });
    expect(byEvent.get(keyless.id)).toMatchObject({ key: null, reason: "no_key" });
    const summary = await engine.api(
      "GET",
      `/admin/integration-builder/reconciliation/summary?connectorId=${connector.id}`,
    );
    expect(summary.json.totals).toMatchObject({ OBSERVED: 1, UNEXPECTED: 3 });
    // Events of other names are none of reconciliation's business.
    await ingest(engine, `${connector.eventName}.other`, { paymentId: "pay_nobody" });
    expect(await listExpectations(engine, { connectorId: connector.id, status: "UNEXPECTED" })).toHaveLength(3);
  });

  it("a confirmation that arrives before the delivery is recorded is taken by the sweep", async () => {
    const connector = await expectingConnector(engine, destination.url, {
      key: "$.event.payload.orderId",
      eventKey: "$.payload.orderId",
      compare: [{ expected: "$.event.payload.amount", observed: "$.payload.amount" }],
    });
    const early = await ingest(engine, connector.eventName, { orderId: "o5", amount: 7 });
    const { expectation } = await pay(connector, { orderId: "o5", amount: 7 });
    expect(expectation.status).toBe("OPEN");
    expect((await sweep()).adopted).toBe(1);
    const [closed] = await listExpectations(engine, { connectorId: connector.id });
    expect(closed).toMatchObject({ status: "OBSERVED", observedEventId: early.id });
    expect(await listExpectations(engine, { connectorId: connector.id, status: "UNEXPECTED" })).toEqual([]);
    expect((await sweep()).adopted).toBe(0);
  });

  it("an unparseable answer leaves the expectation OPEN with key null and the reason; the delivery is SUCCESS", async () => {
    const connector = await expectingConnector(engine, destination.url);
    const { deliveryId, expectation } = await pay(connector, { orderId: "html", amount: 1 });
    expect((await deliveryRow(engine, deliveryId)).status).toBe("SUCCESS");
    expect(expectation).toMatchObject({ status: "OPEN", key: null });
    expect(expectation.keyError).toMatch(/\$\.response\.body\.id found nothing \(the response body is not valid JSON/);
  });

  it("reads the key past the stored copy of a large answer", async () => {
    const connector = await expectingConnector(engine, destination.url);
    const { deliveryId, expectation } = await pay(connector, { orderId: "big", amount: 3 });
    const [attempt] = await attemptRows(engine, deliveryId);
    expect(attempt?.response).toMatchObject({ bodyTruncated: true });
    expect(expectation).toMatchObject({ key: "pay_big", expected: [{ value: 3 }] });
  });

  it("two sweeps at once mark each overdue expectation MISSING once, with one alert each", async () => {
    const connector = await expectingConnector(engine, destination.url, { withinMs: 1000 });
    const opened = [];
    for (let i = 0; i < 6; i++) opened.push((await pay(connector, { orderId: `m${i}`, amount: i })).expectation);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const results = await Promise.all([
      sweepExpectations(systemContext(engine.ctx), { batchSize: 2 }),
      sweepExpectations(systemContext(engine.ctx), { batchSize: 2 }),
    ]);
    expect(results.reduce((n, r) => n + r.missing, 0)).toBe(6);
    for (const e of opened) expect(logs.alerts("expectation_missing", e.id)).toHaveLength(1);
    expect(await metricValue(engine, "ib_expectations_missing_total", connector.id)).toBe(6);
  });
});
