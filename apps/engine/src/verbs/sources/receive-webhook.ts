import { createHash } from "node:crypto";
import { newId } from "@ib/core";
import { storableText } from "@ib/core/storable-text";
import { inboundWebhooks, sources } from "@ib/db";
import { type VerifierName, verifyWebhook } from "@ib/providers/verifiers";
import { eq } from "drizzle-orm";
import { INBOUND_CHANNEL, type ServiceContext } from "../../context.ts";
import { unstorableBody } from "../../inbound/event-from-webhook.ts";
import { Forbidden, NotFound } from "../../lib/domain-errors.ts";
import { loadActiveSourceSecrets } from "./load-source-secrets.ts";

/** Headers never stored with an inbound webhook (credentials of the caller, not evidence). */
const UNSTORED_HEADERS = new Set(["authorization", "cookie", "proxy-authorization"]);
/**
 * A rejected webhook keeps only this much of its body: enough to see what was sent, while anyone on the
 * internet posting junk to a source URL cannot fill the database at 1 MiB a request.
 */
export const REJECTED_BODY_CHARS = 4096;

export type ReceiveOutcome =
  | { status: 200; id: string; duplicate: boolean }
  | { status: 400 | 401; id: string; code: "BAD_REQUEST" | "UNAUTHORIZED"; message: string };

/**
 * The provider-facing half of inbound webhooks (DESIGN §7): verify the signature over the raw bytes,
 * store body and headers, de-duplicate (see `dedupKeyOf`), and return. Turning the webhook into
 * an event happens later in the inbound service, so the provider gets its answer in milliseconds.
 * A rejected webhook is stored too (status REJECTED, with the reason), so an admin can see why; a verified
 * one whose body holds text PostgreSQL cannot store (a NUL character) is rejected with a 400.
 */
export async function receiveWebhook({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { sourceId: string; headers: Record<string, string>; rawBody: Uint8Array };
}): Promise<ReceiveOutcome> {
  const { sourceId, headers, rawBody } = input;
  const [source] = await ctx.db
    .select({
      id: sources.id,
      kind: sources.kind,
      verifier: sources.verifier,
      config: sources.config,
      enabled: sources.enabled,
    })
    .from(sources)
    .where(eq(sources.id, sourceId));
  // A broker source takes no webhooks: its URL does not exist.
  if (source?.kind !== "webhook") throw new NotFound(`No inbound source ${sourceId}`);
  if (!source.enabled) throw new Forbidden(`Source ${sourceId} is disabled`);

  const secrets = await loadActiveSourceSecrets({ ctx, input: { sourceId } });
  if (secrets.undecryptable.length) {
    ctx.log.error(
      { sourceId, secretIds: secrets.undecryptable },
      "inbound source secret does not decrypt under the master key; it is ignored",
    );
  }
  const verdict = verifyWebhook({
    verifier: source.verifier as VerifierName,
    config: source.config,
    headers,
    rawBody,
    secrets: secrets.values,
  });

  const stored = Object.fromEntries(Object.entries(headers).filter(([h]) => !UNSTORED_HEADERS.has(h.toLowerCase())));
  const body = Buffer.from(rawBody).toString("utf8");
  const id = newId("webhook");
  const reject = (verified: boolean, reason: string) =>
    ctx.db.insert(inboundWebhooks).values({
      id,
      sourceId,
      headers: stored,
      // Evidence of what was sent, in text PostgreSQL can store (a NUL byte shows as ␀).
      rawBody: storableText(
        body.length > REJECTED_BODY_CHARS ? `${body.slice(0, REJECTED_BODY_CHARS)}…[truncated]` : body,
      ),
      verified,
      verificationError: reason,
      status: "REJECTED" as const,
    });

  if (!verdict.ok) {
    if (verdict.reason === "no_secret")
      ctx.log.warn({ sourceId }, "inbound webhook refused: the source has no signing secret");
    await reject(false, `${verdict.reason}: ${verdict.message}`);
    return verdict.reason === "stale_timestamp"
      ? { status: 400, id, code: "BAD_REQUEST", message: verdict.message }
      : { status: 401, id, code: "UNAUTHORIZED", message: verdict.message };
  }
  // Authentic, but it could never become an event: the provider is told now, not a FAILED row later.
  const unstorable = unstorableBody(body);
  if (unstorable) {
    await reject(true, unstorable);
    return { status: 400, id, code: "BAD_REQUEST", message: unstorable };
  }

  const dedupKey = dedupKeyOf(sourceId, verdict.providerEventId, verdict.signedAt, rawBody);
  const inserted = await ctx.db
    .insert(inboundWebhooks)
    .values({
      id,
      sourceId,
      providerEventId: verdict.providerEventId,
      dedupKey,
      headers: stored,
      rawBody: body,
      verified: true,
      status: "RECEIVED",
    })
    .onConflictDoNothing({ target: inboundWebhooks.dedupKey })
    .returning({ id: inboundWebhooks.id });
  if (inserted.length === 0) {
    // A provider retry of an event already received: same answer, nothing new.
    const [original] = await ctx.db
      .select({ id: inboundWebhooks.id })
      .from(inboundWebhooks)
      .where(eq(inboundWebhooks.dedupKey, dedupKey));
    return { status: 200, id: original?.id ?? id, duplicate: true };
  }
  ctx.app.dbHandle
    .notify(INBOUND_CHANNEL)
    .catch((error) => ctx.log.warn({ err: error }, "could not wake the inbound webhook service"));
  return { status: 200, id, duplicate: false };
}

/**
 * The de-duplication key of a verified webhook: the provider's event id when it sends one; otherwise a
 * hash of the verified bytes and the signed timestamp where the scheme has one (a resend of the same
 * signed request is the same webhook; the same body signed at another time is a new one). Keys live as
 * long as the webhook row, i.e. within the retention window (IB_RETENTION_DAYS).
 */
export function dedupKeyOf(
  sourceId: string,
  providerEventId: string | null,
  signedAt: number | null,
  rawBody: Uint8Array,
): string {
  if (providerEventId) return `${sourceId}:${providerEventId}`;
  const hash = createHash("sha256");
  if (signedAt !== null) hash.update(`${signedAt}.`);
  hash.update(rawBody);
  return `${sourceId}:sha256:${hash.digest("hex")}`;
}
