// Fixtures for the reconciliation tests: a payments-like destination that answers with a payment id, a
// connector with `expect` made through the API, the expectations as the API lists them, and the engine's
// log lines captured (the alert lines are what an operator pages on).
import { Writable } from "node:stream";
import { startReceiver } from "@ib/testing";
import { createLogger } from "../src/lib/logger.ts";
import { uniqueEventName } from "./delivery-fixtures.ts";
import type { TestEngine } from "./harness.ts";
import { waitFor } from "./harness.ts";

export interface LogLine {
  level: number;
  msg: string;
  alert?: string;
  [key: string]: unknown;
}

/** The engine's log from now on, as parsed JSON lines (its logger is replaced by one that records). */
export function captureLogs(engine: TestEngine) {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const text of String(chunk).split("\n")) if (text.trim()) lines.push(JSON.parse(text) as LogLine);
      done();
    },
  });
  engine.ctx.logger = createLogger("info", {}, sink);
  return {
    lines,
    alerts: (kind: string, expectationId?: string) =>
      lines.filter((l) => l.alert === kind && (expectationId === undefined || l.expectationId === expectationId)),
  };
}

/**
 * A destination that creates "payments": it answers 201 `{id: "pay_<n>", amount, currency}` with the
 * request's amount, unless `answer` says otherwise for a request.
 */
export async function paymentsDestination(
  answer?: (body: Record<string, unknown>, n: number) => { status?: number; type?: string; body: string } | undefined,
) {
  return startReceiver((req, n, res) => {
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      // not JSON: answered like any other
    }
    const custom = answer?.(body, n);
    if (custom) {
      res.writeHead(custom.status ?? 201, { "content-type": custom.type ?? "application/json" }).end(custom.body);
      return;
    }
    const payment = { id: `pay_${n}_${String(body.orderId ?? "x")}`, amount: body.amount, currency: "usd" };
    res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify(payment));
  });
}

export const PAYMENT_EXPECT = {
  key: "$.response.body.id",
  eventKey: "$.payload.paymentId",
  withinMs: 60_000,
  compare: [{ expected: "$.event.payload.amount", observed: "$.payload.amount" }],
};

/** A connector with `expect`, created through `PUT …/connectors` (so the save-time checks run). */
export async function expectingConnector(
  engine: TestEngine,
  url: string,
  expect: Partial<typeof PAYMENT_EXPECT> & { eventName?: string; withinMs?: number } = {},
) {
  const sourceEvent = uniqueEventName("payment.requested");
  const eventName = expect.eventName ?? uniqueEventName("payment.confirmed");
  const res = await engine.api("PUT", "/admin/integration-builder/connectors", {
    body: {
      name: `payments ${sourceEvent}`,
      sourceEvent,
      destination: { url: `${url}/payments`, method: "POST" },
      mapping: { orderId: "$.payload.orderId", amount: "$.payload.amount" },
      retryBackoffBaseMs: 20,
      retryBackoffMaxMs: 200,
      expect: { ...PAYMENT_EXPECT, ...expect, eventName },
    },
  });
  if (res.status !== 201) throw new Error(`connector create answered ${res.status}: ${res.text}`);
  return { id: res.json.id as string, sourceEvent, eventName };
}

export async function listExpectations(engine: TestEngine, query: Record<string, string>) {
  const res = await engine.api("GET", `/admin/integration-builder/reconciliation?${new URLSearchParams(query)}`);
  if (res.status !== 200) throw new Error(`reconciliation list answered ${res.status}: ${res.text}`);
  return res.json.items as Record<string, any>[];
}

/** Waits for the connector's expectation for one delivery and returns it (as the API lists it). */
export async function expectationFor(engine: TestEngine, connectorId: string, deliveryId: string, status?: string) {
  return waitFor(
    async () => {
      const items = await listExpectations(engine, { connectorId, ...(status ? { status } : {}) });
      return items.find((e) => e.deliveryId === deliveryId) ?? null;
    },
    { message: `the expectation of delivery ${deliveryId}${status ? ` to be ${status}` : ""}` },
  );
}

export async function metricValue(engine: TestEngine, name: string, connectorId: string): Promise<number | null> {
  const res = await engine.api("GET", "/metrics", { token: null });
  const line = res.text.split("\n").find((l) => l.startsWith(`${name}{connector_id="${connectorId}"}`));
  return line ? Number(line.split(" ").pop()) : null;
}
