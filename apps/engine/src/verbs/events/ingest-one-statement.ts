import { execute, prepared } from "@ib/db";
import { sql } from "drizzle-orm";
import { type ServiceContext, WORK_CHANNEL } from "../../context.ts";
import { jsonRows } from "../../lib/json-rows.ts";
import type { ClaimedDelivery } from "../../worker/claim.ts";
import type { HandoffReservation } from "../../worker/handoff.ts";
import {
  answerRepeats,
  deliveriesFor,
  type EventRow,
  firstOccurrences,
  type IngestResult,
  type NewDeliveryRow,
} from "./ingest-rows.ts";

/** Routing that changed while we wrote is re-read and the write tried again this often before the fallback. */
const ATTEMPTS = 3;

/**
 * The outbox write as ONE statement, so one round trip and one commit per ingest batch (issue 18): the events,
 * one delivery per connector the cached routing picks for each event the database actually inserted (a
 * repeated id or key inserts nothing), and on PostgreSQL the workers' NOTIFY to other processes. The statement
 * writes only if `routing_version` still equals the version the routing was read at (same snapshot): a
 * connector or registry change committed by any process in between makes it write nothing, and the routing
 * is re-read. Answers `undefined` when the transactional path must do it instead: some connector's `expect`
 * waits for one of these events (reconciliation writes with them), or the routing kept changing.
 */
export async function ingestInOneStatement({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { rows: EventRow[] };
}): Promise<{ results: IngestResult[]; created: NewDeliveryRow[]; queued: number } | undefined> {
  const { rows } = input;
  const { toInsert, isFirst } = firstOccurrences(rows);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const routing = await ctx.app.routing.get(ctx.db);
    if (toInsert.some((r) => routing.expectedNames.has(r.name))) return undefined;
    const planned = new Map<string, NewDeliveryRow[]>();
    for (const row of toInsert) planned.set(row.id, await deliveriesFor(ctx, row, routing.route(row)));
    const created = [...planned.values()].flat();
    // Direct handoff: as many as a local worker has free slots for are written leased to it and sent at
    // once (worker/handoff.ts). Not inside a caller's transaction: its commit is not ours to know.
    const sendable = created.filter((d) => d.lastError === null);
    const reservation = ctx.db === ctx.app.db ? ctx.app.workers.reserve(sendable.length) : undefined;
    const handoff = new Set(sendable.slice(0, reservation?.slots ?? 0).map((d) => d.id));
    let handed: ClaimedDelivery[] = [];
    let answered = false;
    try {
      const [written] = await execute<WriteAnswer>(
        ctx.db,
        writeStatement({
          events: toInsert,
          deliveries: created,
          handoff,
          lease: reservation ?? null,
          version: routing.version,
          notify: ctx.app.dbHandle.driver === "postgres" ? ctx.app.dbHandle.remotePayload() : null,
        }),
      );
      answered = true;
      if (!written?.current) {
        ctx.app.routing.invalidate(routing);
        continue;
      }
      const inserted = new Map(written.inserted.map(([id, at]) => [id, new Date(Number(at))]));
      handed = handedDeliveries(written.handed, toInsert, created, inserted);
      const out = rows.map((row, i): IngestResult | undefined => {
        if (!inserted.has(row.id) || !isFirst(i)) return undefined;
        const mine = planned.get(row.id) ?? [];
        return {
          id: row.id,
          deliveries: mine.map((d) => ({ id: d.id, connectorId: d.connectorId })),
          duplicate: false,
        };
      });
      const kept = created.filter((d) => inserted.has(d.eventId));
      const sent = kept.filter((d) => d.lastError === null).length;
      return { results: await answerRepeats(ctx.db, rows, out), created: kept, queued: sent - handed.length };
    } finally {
      // Whatever happened, the reserved slots are settled: with the deliveries written leased to the worker,
      // or as possibly lost when the statement failed without an answer (it may have committed).
      reservation?.settle(handed, !answered);
    }
  }
  return undefined;
}

interface WriteAnswer {
  current: boolean;
  /** Each inserted event: its id and `received_at` in epoch milliseconds. */
  inserted: [string, number | string][];
  /** Each delivery written leased to the worker: its id, round and its connector's consecutive failures. */
  handed: [string, number, number][];
}

/** The deliveries written leased to the local worker, as a claim would have answered them. */
function handedDeliveries(
  handed: WriteAnswer["handed"],
  events: EventRow[],
  created: NewDeliveryRow[],
  receivedAt: Map<string, Date>,
): ClaimedDelivery[] {
  if (handed.length === 0) return [];
  const eventById = new Map(events.map((e) => [e.id, e]));
  const deliveryById = new Map(created.map((d) => [d.id, d]));
  return handed.flatMap(([id, round, failures]): ClaimedDelivery[] => {
    const delivery = deliveryById.get(id);
    const event = delivery && eventById.get(delivery.eventId);
    const at = delivery && receivedAt.get(delivery.eventId);
    if (!delivery || !event || !at) return [];
    return [
      {
        id,
        connectorId: delivery.connectorId,
        eventId: event.id,
        attempts: 0,
        round: Number(round),
        prevStatus: "PENDING",
        leaseLost: false,
        connectorEnabled: true,
        event: {
          name: event.name,
          source: event.source,
          payload: event.payload,
          attributes: event.attributes,
          receivedAt: at,
        },
        circuit: { state: "closed", openUntil: null, consecutiveFailures: Number(failures) },
      },
    ];
  });
}

function writeStatement(input: {
  events: EventRow[];
  deliveries: NewDeliveryRow[];
  /** Deliveries to write leased to `lease.workerId` when their connector has no limit in the way. */
  handoff: ReadonlySet<string>;
  lease: HandoffReservation | null;
  version: number;
  notify: string | null;
}) {
  const events = input.events.map((e) => ({
    id: e.id,
    name: e.name,
    source: e.source,
    payload: e.payload,
    attributes: e.attributes,
    idempotency_key: e.idempotencyKey,
    schema_valid: e.schemaValid,
    dataschema: e.dataschema,
  }));
  const deliveries = input.deliveries.map((d) => ({
    id: d.id,
    connector_id: d.connectorId,
    event_id: d.eventId,
    error: d.lastError,
    handoff: input.handoff.has(d.id),
  }));
  // Statement text is the same for every batch (rows travel as two JSON parameters): prepared once per connection.
  // Not `exists (select pg_notify(…))`: EXISTS drops its select list, so the NOTIFY would never be sent.
  // Other processes are woken only for deliveries left in the queue (PENDING), not for those handed off.
  const notify =
    input.notify === null
      ? sql`0`
      : sql`(select count(*) from (
          select pg_notify(${WORK_CHANNEL}, ${input.notify}) from dels where status = 'PENDING' limit 1) n)`;
  // Prepared on PostgreSQL (planned once per connection): its plan depends on no table that grows.
  return prepared(sql`with current_routing as (
      select 1 from routing_version where id = 1 and version = ${String(input.version)}::bigint
    ), ins as (
      insert into events (id, name, source, payload, attributes, idempotency_key, schema_valid, dataschema)
      select x.id, x.name, x.source, x.payload, coalesce(x.attributes, '{}'::json), x.idempotency_key,
        x.schema_valid, x.dataschema
      from ${jsonRows(
        events,
        "x",
        `id text, name text, source text, payload json, attributes json, idempotency_key text,
          schema_valid boolean, dataschema text`,
      )}
      where exists (select 1 from current_routing)
      on conflict do nothing
      returning id, received_at
    ), planned as (
      -- Handed off only to a connector nothing holds back: no in-flight cap, no rate limit, circuit closed
      -- (the claim statement's rules for those stay the only way such deliveries are taken).
      select d.id, d.connector_id, d.event_id, d.error, coalesce(r.consecutive_failures, 0) as failures,
        coalesce(d.handoff and d.error is null and k.enabled and k.max_in_flight is null
          and coalesce(k.rate_limit_per_second, 0) <= 0 and coalesce(r.circuit_state, 'closed') = 'closed',
          false) as handed
      from ${jsonRows(deliveries, "d", "id text, connector_id text, event_id text, error text, handoff boolean")}
        left join connectors k on k.id = d.connector_id
        left join connector_runtime r on r.connector_id = d.connector_id
      where d.event_id in (select id from ins)
    ), dels as (
      insert into deliveries (id, connector_id, event_id, status, last_error, completed_at, locked_by, locked_until)
      select p.id, p.connector_id, p.event_id,
        case when p.error is not null then 'FAILED' when p.handed then 'PROCESSING' else 'PENDING' end,
        p.error,
        case when p.error is null then null else now() end,
        case when p.handed then ${input.lease?.workerId ?? null}::text end,
        case when p.handed then now() + ${input.lease?.leaseMs ?? 0}::double precision * interval '1 millisecond' end
      from planned p
      returning id, status, round
    )
    select exists (select 1 from current_routing) as current,
      (select coalesce(json_agg(json_build_array(id, extract(epoch from received_at) * 1000)), '[]'::json)
        from ins) as inserted,
      (select coalesce(json_agg(json_build_array(d.id, d.round, p.failures)), '[]'::json)
        from dels d join planned p on p.id = d.id where d.status = 'PROCESSING') as handed,
      ${notify} as notified`);
}
