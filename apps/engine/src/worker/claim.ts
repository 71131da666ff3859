import type { DeliveryStatus } from "@ib/core/delivery-state";
import { type Executor, execute } from "@ib/db";
import { type SQL, sql } from "drizzle-orm";

export interface ClaimedDelivery {
  id: string;
  connectorId: string;
  eventId: string;
  /** Attempts already made in this round (the next one is `attempts + 1`). */
  attempts: number;
  round: number;
  /** The status before the claim: restored when a delivery is postponed without a call. */
  prevStatus: DeliveryStatus;
  /** Claimed because its lease expired: its previous worker died or stalled mid-attempt. */
  leaseLost: boolean;
  /** The connector's `enabled` now (fresher than the worker's cache of connectors). */
  connectorEnabled: boolean;
  event: {
    name: string;
    source: string | null;
    payload: unknown;
    attributes: Record<string, unknown>;
    receivedAt: Date;
  };
  circuit: { state: "closed" | "open" | "half_open"; openUntil: Date | null; consecutiveFailures: number };
}

export interface ClaimOptions {
  workerId: string;
  limit: number;
  leaseMs: number;
  /** This worker's calls in flight per connector: what is left of each connector's `maxInFlight`. */
  inFlight?: ReadonlyMap<string, number>;
  /**
   * Whether this claim may take deliveries of connectors with a `maxInFlight` or a rate limit. A worker lets
   * one claim at a time take them: two concurrent claims would both fill the same free slot or token.
   */
  takeLimited?: boolean;
}

/**
 * One round trip: lock up to `limit` due deliveries (`FOR UPDATE SKIP LOCKED`, so workers never wait on
 * each other), plus deliveries whose lease expired (their worker died: `leaseLost`, the caller records that
 * as a failed attempt), mark them PROCESSING under a lease held by `workerId`, and return them with their
 * event and their connector's circuit state.
 *
 * The claim respects each connector's capacity: no more of a connector's deliveries than its free
 * `maxInFlight` slots (in this worker) and the tokens left in its rate-limit bucket, and none of a
 * connector with neither (claiming more only to give them back rewrote each delivery dozens of times);
 * of a connector whose circuit has cooled down, one delivery to probe with, and none while a probe is out.
 */
export async function claimDeliveries(db: Executor, options: ClaimOptions): Promise<ClaimedDelivery[]> {
  const rows = await execute<Record<string, unknown>>(db, claimStatement(options));
  return rows.map((r) => ({
    id: r.id as string,
    connectorId: r.connector_id as string,
    eventId: r.event_id as string,
    attempts: Number(r.attempts),
    round: Number(r.round),
    prevStatus: r.prev_status as DeliveryStatus,
    leaseLost: r.lease_lost === true,
    connectorEnabled: r.connector_enabled === true,
    event: {
      name: r.event_name as string,
      source: (r.event_source as string | null) ?? null,
      payload: json(r.event_payload),
      attributes: (json(r.event_attributes) as Record<string, unknown> | null) ?? {},
      receivedAt: toDate(r.event_received_at)!,
    },
    circuit: {
      state: ((r.circuit_state as string | null) ?? "closed") as ClaimedDelivery["circuit"]["state"],
      openUntil: toDate(r.circuit_open_until),
      consecutiveFailures: Number(r.consecutive_failures ?? 0),
    },
  }));
}

/** The claim statement (exported for measuring it with EXPLAIN). */
export function claimStatement(options: ClaimOptions): SQL {
  const busy = JSON.stringify(
    [...(options.inFlight ?? [])].filter(([, n]) => n > 0).map(([connector_id, n]) => ({ connector_id, n })),
  );
  const takeLimited = options.takeLimited ?? true;
  // Tokens in the connector's bucket now (rate-limit.ts refills and spends them the same way).
  const tokens = sql`least(greatest(1, k.rate_limit_per_second),
      coalesce(r.rate_tokens, greatest(1, k.rate_limit_per_second))
      + extract(epoch from (now() - coalesce(r.rate_updated_at, now()))) * k.rate_limit_per_second)`;
  return sql`with busy as (
          select * from jsonb_to_recordset(${busy}::jsonb) as b(connector_id text, n int)
        ), limited as (
          -- Connectors whose deliveries this claim may take only so many of: a cap, a rate limit, or a circuit
          -- that is not closed (once its cool-down is over, one delivery to probe with; none while a probe is
          -- out; while it cools down, any: they are postponed to its end, out of the way of the queue).
          select k.id,
            least(
              case when k.max_in_flight is null then null else k.max_in_flight - coalesce(b.n, 0) end,
              case when k.rate_limit_per_second > 0 then floor(${tokens}) end,
              case when r.circuit_state in ('open', 'half_open') and r.circuit_open_until <= now() then 1
                   when r.circuit_state = 'half_open' then 0 end
            ) as room
          from connectors k
            left join busy b on b.connector_id = k.id
            left join connector_runtime r on r.connector_id = k.id
          where k.max_in_flight is not null or k.rate_limit_per_second > 0 or r.circuit_state in ('open', 'half_open')
        ), locked as (
          -- Shaped like a plain claim (the sort a stale plan falls back to carries no more than it did).
          select id, status, next_attempt_at from deliveries
          where status in ('PENDING', 'RETRY_SCHEDULED') and next_attempt_at <= now()
            and connector_id <> all(array(
              select id from limited where room < 1 or not ${takeLimited}::boolean
            ))
          order by next_attempt_at
          limit ${options.limit}
          for update skip locked
        ), due as (
          -- Of the locked rows, no more per connector than its room; the others stay as they are (their
          -- lock ends with this statement).
          select c.id, c.status as prev_status, false as lease_lost from (
            select locked.*, x.connector_id,
              row_number() over (partition by x.connector_id order by locked.next_attempt_at, locked.id) as rn
            from locked join deliveries x on x.id = locked.id
          ) c left join limited l on l.id = c.connector_id
          where l.room is null or c.rn <= l.room
        ), expired as (
          select id, 'RETRY_SCHEDULED'::text as prev_status, true as lease_lost from deliveries
          where status = 'PROCESSING' and locked_until < now()
          order by locked_until
          limit ${options.limit}
          for update skip locked
        ), picked as (
          -- Expired leases first: filled with due deliveries first, a batch left a dead worker's deliveries
          -- waiting until the backlog drained. There are few of them and they take no slot (no call).
          select * from expired union all select * from due limit ${options.limit}
        )
        update deliveries d set
          status = 'PROCESSING',
          locked_until = now() + ${options.leaseMs}::double precision * interval '1 millisecond',
          locked_by = ${options.workerId},
          wait_reason = null,
          updated_at = now()
        from picked
          join deliveries src on src.id = picked.id
          join events e on e.id = src.event_id
          join connectors k on k.id = src.connector_id
          left join connector_runtime r on r.connector_id = src.connector_id
        where d.id = picked.id
        returning d.id, d.connector_id, d.event_id, d.attempts, d.round, picked.prev_status, picked.lease_lost,
          k.enabled as connector_enabled,
          e.name as event_name, e.source as event_source, e.payload as event_payload,
          e.attributes as event_attributes, e.received_at as event_received_at,
          r.circuit_state, r.circuit_open_until, r.consecutive_failures`;
}

export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(value as string);
}

function json(value: unknown): unknown {
  // Raw jsonb arrives parsed from both drivers; a string here is a JSON string value, not text to parse.
  return value;
}
