import type { SampleEvent } from "@ib/core/connector-schema";
import type { TestSendResult } from "@ib/core/contracts/test-send";
import { decideAttempt } from "@ib/core/delivery-state";
import { exampleEventName } from "@ib/core/event-match";
import { newId } from "@ib/core/ids";
import type { EventEnvelope } from "@ib/core/render-request";
import { connectors } from "@ib/db";
import { eq } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { Invalid, NotFound, RateLimited, Unprocessable } from "../../lib/domain-errors.ts";
import { toAttemptResult } from "../../worker/execute.ts";
import { DeliveryHttpClient } from "../../worker/http-client.ts";
import { maskSignature, secretScrubber, sendOnce, shownRequest, shownResponse } from "../../worker/send-once.ts";
import { destinationPolicy } from "../../worker/ssrf-guard.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { loadConnectorSecrets } from "../secrets/load-connector-secrets.ts";

export interface TestConnectorInput {
  connectorId: string;
  /** The event to send; defaults to the connector's sampleEvent, then to a minimal envelope. */
  event?: SampleEvent;
}

const OUTCOME = { SUCCESS: "success", RETRY_SCHEDULED: "retryable", DLQ: "retryable", FAILED: "permanent" } as const;

/**
 * Send one real request for a saved connector now, from the editor: the worker's own path (`sendOnce`:
 * mapping, secrets, signature, auth, SSRF guard at connect, the connector's timeout) outside the queue.
 * Creates no delivery and changes no circuit; audited as `connector.test`. One per connector per second
 * (`ctx.app.testSends`), so a stuck button cannot hammer a provider. A destination the SSRF policy refuses
 * is Invalid (nothing was sent), a request that cannot be built is Unprocessable; anything the destination
 * does (an error status, a timeout, a reset) is the answer.
 */
export async function testConnector({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: TestConnectorInput;
}): Promise<TestSendResult> {
  const [row] = await ctx.db.select().from(connectors).where(eq(connectors.id, input.connectorId)).limit(1);
  if (!row) throw new NotFound(`Connector ${input.connectorId} does not exist`);
  const slot = ctx.app.testSends.take(row.id);
  if (!slot.ok) {
    throw new RateLimited(
      `One test send per connector per second: try again in ${slot.retryAfterMs} ms`,
      slot.retryAfterMs,
      { retryAfterMs: slot.retryAfterMs },
    );
  }

  let secrets: Record<string, string> | Error;
  try {
    secrets = await loadConnectorSecrets({ ctx, input: { connectorId: row.id } });
  } catch (error) {
    secrets = error as Error;
  }
  const event = envelopeFor(input.event ?? (row.sampleEvent as SampleEvent | null) ?? undefined, row.sourceEvent);
  // Sent even when the filter rejects it (the admin asked for it), but said so.
  const filter = await ctx.app.compiled.filter(row).test(event);
  const id = newId("testSend");
  const client = new DeliveryHttpClient(destinationPolicy(ctx.app.env), { connections: 1 });
  let once: Awaited<ReturnType<typeof sendOnce>>;
  try {
    once = await sendOnce({
      id,
      event,
      connector: row,
      secrets,
      client,
      brokers: ctx.app.brokers,
      plan: ctx.app.compiled.plan(row),
    });
  } finally {
    await client.agent.destroy();
  }

  const scrub = secretScrubber(secrets, once.kind === "sent" ? once.derived : []);
  const audit = (details: Record<string, unknown>) =>
    recordAudit({
      ctx,
      input: { action: "connector.test", target: row.id, details: { eventId: event.id, ...details } },
    });

  if (once.kind === "unprepared") {
    const error = scrub(once.error);
    await audit({ outcome: "not sent", error });
    throw new Unprocessable(`Nothing was sent: ${error}`);
  }
  const request = { ...shownRequest(once.redacted), headers: maskSignature(once.redacted.headers) };
  const { sent } = once;
  if (sent.kind === "refused") {
    const error = `Destination refused (SSRF guard): ${scrub(sent.error)}`;
    await audit({ outcome: "refused", url: request.url, rule: sent.rule ?? null, error });
    throw new Invalid(`${error}. Nothing was sent.`, { rule: sent.rule ?? null, url: request.url });
  }

  const decision = decideAttempt({
    result: toAttemptResult(sent, row.timeoutMs),
    attempt: 1,
    maxAttempts: 2,
    backoff: { baseMs: row.retryBackoffBaseMs, maxMs: row.retryBackoffMaxMs },
  });
  const response = sent.kind === "response" ? shownResponse(sent, scrub) : null;
  const error = decision.error ? scrub(decision.error) : undefined;
  const outcome = OUTCOME[decision.status];
  await audit({ outcome, url: request.url, status: response?.status ?? null, durationMs: sent.durationMs, error });
  return {
    request,
    response,
    // A broker destination answers with its confirm / ack instead of an HTTP response.
    ...(sent.kind === "published" ? { published: sent.details } : {}),
    durationMs: sent.durationMs,
    outcome,
    ...(error ? { error } : {}),
    warnings: [
      ...(filter.matched
        ? []
        : [`The filter rejects this event (${filter.reason}): a real one would create no delivery`]),
      ...once.warnings,
    ].map(scrub),
    event,
  };
}

/** The event as the mapping sees it: the one given, the sample, or a minimal one the connector would receive. */
function envelopeFor(sample: SampleEvent | undefined, sourceEvent: string): EventEnvelope {
  return {
    id: sample?.id ?? newId("event"),
    name: sample?.name ?? exampleEventName(sourceEvent),
    source: sample?.source ?? null,
    time: sample?.time ?? new Date().toISOString(),
    payload: sample?.payload ?? {},
  };
}
