/** What publishing one message to a broker came to (the broker twin of the HTTP client's `SendResult`). */
export type PublishResult =
  /** The broker took it: RabbitMQ's publisher confirm, the JetStream stream's ack (`details` says which). */
  | { kind: "published"; durationMs: number; details: Record<string, unknown> }
  /** The broker answered that it never will (unroutable, no such exchange, no stream for the subject). */
  | { kind: "rejected"; durationMs: number; error: string }
  | { kind: "timeout"; durationMs: number }
  /** Connection refused or dropped, channel closed, broker nack: worth another try. */
  | { kind: "network"; durationMs: number; error: string }
  /** The SSRF policy refused the broker's host. */
  | { kind: "refused"; durationMs: number; error: string; rule?: string };

export interface OutboundMessage {
  body: Buffer;
  headers: Record<string, string>;
  /** The delivery id: AMQP `messageId`, NATS `Nats-Msg-Id`. */
  messageId: string;
  contentType: string;
}

/** A stopwatch in whole milliseconds. */
export function stopwatch(): () => number {
  const started = performance.now();
  return () => Math.round(performance.now() - started);
}

/** A short, single-line description of an error for an attempt's log. */
export function describeError(error: unknown): string {
  const e = error as { code?: string | number; message?: string };
  const message = (e?.message ?? String(error)).replace(/\s+/g, " ").trim();
  return e?.code !== undefined && !message.includes(String(e.code)) ? `${e.code} ${message}` : message;
}
