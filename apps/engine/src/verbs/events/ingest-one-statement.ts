import { execute } from "@ib/db";
import { sql } from "drizzle-orm";
import { type ServiceContext, WORK_CHANNEL } from "../../context.ts";
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
}): Promise<{ results: IngestResult[]; created: NewDeliveryRow[] } | undefined> {
  const { rows } = input;
  const { toInsert, isFirst } = firstOccurrences(rows);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const routing = await ctx.app.routing.get(ctx.db);
    if (toInsert.some((r) => routing.expectedNames.has(r.name))) return undefined;
    const planned = new Map<string, NewDeliveryRow[]>();
    for (const row of toInsert) planned.set(row.id, await deliveriesFor(ctx, row, routing.route(row)));
    const created = [...planned.values()].flat();
    const [written] = await execute<{ current: boolean; inserted: string[] }>(
      ctx.db,
      writeStatement({
        events: toInsert,
        deliveries: created,
        version: routing.version,
        notify: ctx.app.dbHandle.driver === "postgres" ? ctx.app.dbHandle.remotePayload() : null,
      }),
    );
    if (!written?.current) {
      ctx.app.routing.invalidate(routing);
      continue;
    }
    const inserted = new Set(written.inserted);
    const out = rows.map((row, i): IngestResult | undefined => {
      if (!inserted.has(row.id) || !isFirst(i)) return undefined;
      const mine = planned.get(row.id) ?? [];
      return { id: row.id, deliveries: mine.map((d) => ({ id: d.id, connectorId: d.connectorId })), duplicate: false };
    });
    return {
      results: await answerRepeats(ctx.db, rows, out),
      created: created.filter((d) => inserted.has(d.eventId)),
    };
  }
  return undefined;
}

function writeStatement(input: {
  events: EventRow[];
  deliveries: NewDeliveryRow[];
  version: number;
  notify: string | null;
}) {
  const events = JSON.stringify(
    input.events.map((e) => ({
      id: e.id,
      name: e.name,
      source: e.source,
      payload: e.payload,
      attributes: e.attributes,
      idempotency_key: e.idempotencyKey,
      schema_valid: e.schemaValid,
      dataschema: e.dataschema,
    })),
  );
  const deliveries = JSON.stringify(
    input.deliveries.map((d) => ({ id: d.id, connector_id: d.connectorId, event_id: d.eventId, error: d.lastError })),
  );
  // Statement text is the same for every batch (rows travel as two JSON parameters): prepared once per connection.
  // Not `exists (select pg_notify(…))`: EXISTS drops its select list, so the NOTIFY would never be sent.
  const notify =
    input.notify === null
      ? sql`0`
      : sql`(select count(*) from (select pg_notify(${WORK_CHANNEL}, ${input.notify}) from dels limit 1) n)`;
  return sql`with current_routing as (
      select 1 from routing_version where id = 1 and version = ${String(input.version)}::bigint
    ), ins as (
      insert into events (id, name, source, payload, attributes, idempotency_key, schema_valid, dataschema)
      select x.id, x.name, x.source, x.payload, coalesce(x.attributes, '{}'::json), x.idempotency_key,
        x.schema_valid, x.dataschema
      from json_to_recordset(${events}::json) as x(id text, name text, source text, payload json,
        attributes json, idempotency_key text, schema_valid boolean, dataschema text)
      where exists (select 1 from current_routing)
      on conflict do nothing
      returning id
    ), dels as (
      insert into deliveries (id, connector_id, event_id, status, last_error, completed_at)
      select d.id, d.connector_id, d.event_id,
        case when d.error is null then 'PENDING' else 'FAILED' end,
        d.error,
        case when d.error is null then null else now() end
      from json_to_recordset(${deliveries}::json) as d(id text, connector_id text, event_id text, error text)
      where d.event_id in (select id from ins)
      returning 1
    )
    select exists (select 1 from current_routing) as current,
      (select coalesce(json_agg(id), '[]'::json) from ins) as inserted,
      ${notify} as notified`;
}
