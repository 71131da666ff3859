import { newId } from "@ib/core/ids";
import { type Expect, type Opening, openingFor, parseResponseBody } from "@ib/core/reconciliation";
import { type SQL, sql } from "drizzle-orm";

/**
 * Opening an expectation (DESIGN §14): when a delivery of a connector with `expect` succeeds, the worker
 * reads `key` and the expected values from `{event, response}` right after the call (from the whole
 * answer, before the stored copy is truncated), and the completion writer inserts the expectation in the
 * same statement that records the SUCCESS.
 */

/** What the completion carries to the writer. */
export interface ExpectationOpening extends Opening {
  eventName: string;
  eventKey: string;
  withinMs: number;
}

/** The destination's answer as the worker received it. */
export interface AnswerForOpening {
  status: number;
  headers: Record<string, string>;
  /** The answer's text (the stored copy: maybe truncated). */
  body: string;
  bodyTruncated: boolean;
  /** More of the answer than the stored copy keeps, when the worker captured it for `key`. */
  captured?: { text: string; truncated: boolean };
}

/** How much of an answer the worker keeps for `key` when the connector expects something (1 MiB). */
export const EXPECT_CAPTURE_BYTES = 1024 * 1024;

/** A compared value bigger than this is stored as a note instead (it is compared, not archived). */
const MAX_VALUE_CHARS = 16 * 1024;

/**
 * The opening for one successful attempt, or undefined when its connector expects nothing. Never throws:
 * whatever goes wrong leaves `key: null` with the reason in `keyError` (the delivery stays SUCCESS).
 */
export async function expectationOpening(input: {
  expect: Expect | null | undefined;
  event: unknown;
  answer: AnswerForOpening;
  /** Removes the connector's secret values from text we keep. */
  scrub: (text: string) => string;
}): Promise<ExpectationOpening | undefined> {
  const { expect, answer } = input;
  if (!expect) return undefined;
  const about = { eventName: expect.eventName, eventKey: expect.eventKey, withinMs: expect.withinMs };
  try {
    const text = input.scrub(answer.captured?.text ?? answer.body);
    const truncated = answer.captured ? answer.captured.truncated : answer.bodyTruncated;
    const parsed = parseResponseBody(text, answer.headers["content-type"], truncated);
    const headers = Object.fromEntries(Object.entries(answer.headers).map(([k, v]) => [k, input.scrub(String(v))]));
    const opening = await openingFor(
      expect,
      { event: input.event, response: { status: answer.status, headers, body: parsed.body } },
      parsed.problem,
    );
    return { ...opening, expected: opening.expected.map((e) => ({ ...e, value: bounded(e.value) })), ...about };
  } catch (error) {
    return { key: null, keyError: `the answer could not be read: ${(error as Error).message}`, expected: [], ...about };
  }
}

function bounded(value: unknown): unknown {
  const size = JSON.stringify(value ?? null)?.length ?? 0;
  return size > MAX_VALUE_CHARS ? `[a value of ${size} characters, not kept]` : value;
}

/**
 * The `insert into expectations` that follows the writer's `update deliveries` in one statement: it reads
 * the CTE `updated (id, status)` and opens an expectation only for rows that really became SUCCESS (a
 * worker that lost its lease updates nothing, so opens nothing). A delivery opens at most one.
 */
export function openExpectationsSql(
  openings: { deliveryId: string; connectorId: string; eventId: string; opening: ExpectationOpening }[],
): SQL | null {
  if (openings.length === 0) return null;
  const values = openings.map(
    ({ deliveryId, connectorId, eventId, opening: o }) =>
      sql`(${newId("expectation")}::text, ${connectorId}::text, ${deliveryId}::text, ${eventId}::text,
           ${o.eventName}::text, ${o.eventKey}::text, ${o.key}::text, ${o.keyError}::text,
           ${JSON.stringify(o.expected)}::jsonb, ${o.withinMs}::bigint)`,
  );
  return sql`insert into expectations (id, connector_id, delivery_id, event_id, event_name, event_key, key, key_error,
               expected, due_at)
             select o.id, o.connector_id, o.delivery_id, o.event_id, o.event_name, o.event_key, o.key, o.key_error,
               o.expected, now() + o.within_ms * interval '1 millisecond'
             from (values ${sql.join(values, sql`, `)}) as o(id, connector_id, delivery_id, event_id, event_name,
               event_key, key, key_error, expected, within_ms)
             join updated u on u.id = o.delivery_id and u.status = 'SUCCESS'
             on conflict (delivery_id) do nothing`;
}
