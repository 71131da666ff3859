import { type BrokerDestination, splitNatsServers } from "@ib/core/contracts/broker";
import type { EventEnvelope } from "@ib/core/mapping";
import type { DestinationPolicy } from "@ib/core/ssrf";
import { prepareBrokerMessage, type ShownMessage } from "../../worker/transports/broker.ts";
import { assertBrokerHostAllowed } from "../../worker/transports/broker-guard.ts";

/** Stands in for the delivery id in preview (AMQP `messageId`, `Nats-Msg-Id`); each delivery has its own. */
const PREVIEW_MESSAGE_ID = "dlv_preview";

/**
 * What a broker destination would publish for the event (DESIGN §13): the message rendered by the
 * worker's own function with every secret masked, and warnings for missing paths and secrets and for a
 * broker host the SSRF policy would refuse. Nothing is published; only the broker's name is resolved.
 * Throws the mapping's error (a bad routing key or subject, limits) for the caller to answer with.
 */
export async function previewBrokerMessage(input: {
  destination: BrokerDestination;
  mapping: unknown;
  event: EventEnvelope;
  secrets: Record<string, string>;
  policy: DestinationPolicy;
}): Promise<{ message: ShownMessage; warnings: string[]; missingSecrets: string[] }> {
  const prepared = await prepareBrokerMessage({
    id: PREVIEW_MESSAGE_ID,
    event: input.event,
    destination: input.destination,
    mapping: input.mapping,
    secrets: input.secrets,
    missingSecret: "warn",
  });
  const warnings = [...prepared.warnings];
  const urls = input.destination.type === "amqp" ? [prepared.message.url] : splitNatsServers(prepared.message.url);
  for (const url of urls) {
    let host: string;
    try {
      host = new URL(url).hostname;
    } catch {
      warnings.push("The broker URL is not a valid URL once rendered");
      continue;
    }
    try {
      await assertBrokerHostAllowed(host, input.policy);
    } catch (error) {
      warnings.push(`The broker would be refused: ${(error as Error).message}`);
    }
  }
  return { message: prepared.shown, warnings, missingSecrets: prepared.missingSecrets };
}
