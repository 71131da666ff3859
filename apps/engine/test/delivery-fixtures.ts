import { randomBytes } from "node:crypto";
import { newId } from "@ib/core/ids";
import { encryptSecret } from "@ib/core/secret-box";
import { connectorSecrets, connectors, deliveries, deliveryAttempts, events, execute, type NewConnector } from "@ib/db";
import { waitFor } from "@ib/testing";
import { asc, eq, sql } from "drizzle-orm";
import { onTestFinished } from "vitest";
import type { ClaimedDelivery } from "../src/worker/claim.ts";
import type { TestEngine } from "./harness.ts";

let seq = 0;
/** An event name no other test uses. */
export function uniqueEventName(prefix = "test"): string {
  seq += 1;
  return `${prefix}.${randomBytes(4).toString("hex")}.${seq}`;
}

/** A real HTTP server on 127.0.0.1 standing in for a destination (see `@ib/testing`). */
export { type ReceivedRequest, startReceiver as startDestination } from "@ib/testing";

/** Inserts a connector row directly (fast, independent of the connectors API). */
export async function createConnector(engine: TestEngine, values: Partial<NewConnector> & { url: string }) {
  const { url, ...rest } = values;
  const id = newId("connector");
  const [row] = await engine.ctx.db
    .insert(connectors)
    .values({
      id,
      name: `test ${id}`,
      sourceEvent: uniqueEventName(),
      destination: { url, method: "POST" },
      retryBackoffBaseMs: 20,
      retryBackoffMaxMs: 200,
      timeoutMs: 10_000,
      ...rest,
    })
    .returning();
  return row!;
}

export async function setSecret(engine: TestEngine, connectorId: string, name: string, value: string) {
  await engine.ctx.db
    .insert(connectorSecrets)
    .values({
      id: newId("secret"),
      connectorId,
      name,
      ciphertext: encryptSecret(engine.ctx.masterKey, value, `${connectorId}:${name}`),
    })
    .onConflictDoUpdate({
      target: [connectorSecrets.connectorId, connectorSecrets.name],
      set: { ciphertext: encryptSecret(engine.ctx.masterKey, value, `${connectorId}:${name}`) },
    });
}

export async function deliveryRow(engine: TestEngine, id: string) {
  const [row] = await engine.ctx.db.select().from(deliveries).where(eq(deliveries.id, id));
  return row!;
}

export async function attemptRows(engine: TestEngine, deliveryId: string) {
  return engine.ctx.db
    .select()
    .from(deliveryAttempts)
    .where(eq(deliveryAttempts.deliveryId, deliveryId))
    .orderBy(asc(deliveryAttempts.startedAt), asc(deliveryAttempts.attempt));
}

/** Ingests one simple event through the API and returns the 202 answer. */
export async function ingest(engine: TestEngine, name: string, payload: unknown = { n: 1 }, id?: string) {
  const res = await engine.api("POST", "/v1/events", { token: engine.tokens.ingest, body: { id, name, payload } });
  if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${res.text}`);
  return res.json as { id: string; deliveries: { id: string; connectorId: string }[] };
}

/**
 * Counts every UPDATE of a connector's delivery rows from now until the test ends (a trigger, so the
 * count is exact on both databases). Returns a function that reads the count so far.
 */
export async function countDeliveryUpdates(engine: TestEngine, connectorId: string) {
  const tag = randomBytes(4).toString("hex");
  await execute(engine.ctx.db, sql.raw("create table if not exists ib_test_updates (connector_id text)"));
  await execute(
    engine.ctx.db,
    sql.raw(`create or replace function ib_test_count_${tag}() returns trigger language plpgsql as $$
      begin insert into ib_test_updates values (new.connector_id); return null; end $$`),
  );
  await execute(
    engine.ctx.db,
    sql.raw(`create trigger ib_test_count_${tag} after update on deliveries for each row
      when (new.connector_id = '${connectorId}') execute function ib_test_count_${tag}()`),
  );
  onTestFinished(async () => {
    await execute(engine.ctx.db, sql.raw(`drop trigger if exists ib_test_count_${tag} on deliveries`));
  });
  const [start] = await execute<{ n: number | string }>(
    engine.ctx.db,
    sql`select count(*) as n from ib_test_updates where connector_id = ${connectorId}`,
  );
  return async () => {
    const [row] = await execute<{ n: number | string }>(
      engine.ctx.db,
      sql`select count(*) as n from ib_test_updates where connector_id = ${connectorId}`,
    );
    return Number(row?.n) - Number(start?.n ?? 0);
  };
}

/**
 * An event and one delivery of it, written `PROCESSING` under `lockedBy`'s lease until `lockedUntil` (in the
 * past: a worker that died mid-attempt), after `attempts` attempts.
 */
export async function insertLeasedDelivery(
  engine: TestEngine,
  input: { connectorId: string; name: string; lockedBy: string; lockedUntil: Date; attempts?: number },
) {
  const eventId = newId("event");
  const id = newId("delivery");
  const attempts = input.attempts ?? 0;
  await engine.ctx.db.insert(events).values({ id: eventId, name: input.name, payload: { x: 1 } });
  await engine.ctx.db.insert(deliveries).values({
    id,
    connectorId: input.connectorId,
    eventId,
    status: "PROCESSING",
    attempts,
    totalAttempts: attempts,
    lockedBy: input.lockedBy,
    lockedUntil: input.lockedUntil,
  });
  return id;
}

/** The delivery's row once it is SUCCESS (fails after `timeoutMs`). */
export async function successfulDelivery(engine: TestEngine, id: string, timeoutMs = 10_000) {
  return waitFor(
    async () => {
      const row = await deliveryRow(engine, id);
      return row.status === "SUCCESS" ? row : undefined;
    },
    { timeoutMs, message: `delivery ${id} to succeed` },
  );
}

/** A delivery as a claim (or a handoff) gives it to the worker: first attempt, circuit closed. */
export function claimedDelivery(input: {
  id: string;
  connectorId: string;
  eventId: string;
  name?: string;
}): ClaimedDelivery {
  return {
    id: input.id,
    connectorId: input.connectorId,
    eventId: input.eventId,
    attempts: 0,
    round: 1,
    prevStatus: "PENDING",
    leaseLost: false,
    connectorEnabled: true,
    event: { name: input.name ?? "x", source: null, payload: { x: 1 }, attributes: {}, receivedAt: new Date() },
    circuit: { state: "closed", openUntil: null, consecutiveFailures: 0 },
  };
}
