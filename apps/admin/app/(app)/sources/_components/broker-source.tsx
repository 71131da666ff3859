"use client";

import { Badge } from "@/components/ui";
import type { Source } from "@/lib/engine-types";
import { dateTime, timeAgo } from "@/lib/format";

export type SourceKind = Source["kind"];
export type Runtime = NonNullable<Source["runtime"]>;

export const KIND_LABEL: Record<SourceKind, string> = {
  webhook: "Webhook",
  amqp: "RabbitMQ queue",
  nats: "NATS JetStream",
};

const STATE_TONE: Record<Runtime["state"], "green" | "blue" | "amber" | "red" | "neutral"> = {
  consuming: "green",
  starting: "blue",
  reconnecting: "amber",
  error: "red",
  stopped: "neutral",
};

/** Where a broker source reads from: the queue, or the stream and its consumer. */
export function brokerEndpoint(s: Source): string {
  return s.kind === "amqp"
    ? `${s.url ?? ""} → ${s.queue ?? ""}`
    : `${s.servers ?? ""} → ${s.stream ?? ""}/${s.consumer ?? ""}`;
}

/** The consumer's state as a badge, with the pending count. */
export function RuntimeBadge({ runtime }: { runtime: Runtime | null }) {
  if (!runtime) return null;
  return (
    <span className="inline-flex items-center gap-2" title={runtime.error ?? undefined}>
      <Badge tone={STATE_TONE[runtime.state]} dot>
        {runtime.state}
      </Badge>
      {runtime.pending !== null ? <span className="text-xs text-zinc-500">{runtime.pending} pending</span> : null}
    </span>
  );
}

/** The drawer's part for a broker source: what it consumes and how its consumer is doing. */
export function BrokerDetails({ source }: { source: Source }) {
  const runtime = source.runtime;
  const rows: [string, string][] =
    source.kind === "amqp"
      ? [
          ["Broker", source.url ?? "—"],
          ["Queue", source.queue ?? "—"],
        ]
      : [
          ["Servers", source.servers ?? "—"],
          ["Stream", source.stream ?? "—"],
          ["Durable consumer", source.consumer ?? "—"],
        ];
  rows.push(["Prefetch", String(source.prefetch ?? 50)]);
  return (
    <div className="space-y-4">
      <div>
        <h3 className="mb-1.5 text-sm font-semibold">Consumes</h3>
        <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1 text-sm">
          {rows.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-zinc-500">{k}</dt>
              <dd className="font-mono text-xs break-all">{v}</dd>
            </div>
          ))}
        </dl>
      </div>
      <div>
        <h3 className="mb-1.5 text-sm font-semibold">Consumer</h3>
        {runtime ? (
          <div className="space-y-1 text-sm" data-testid="source-runtime">
            <RuntimeBadge runtime={runtime} />
            {runtime.error ? (
              <p className="text-sm text-red-600" role="status">
                {runtime.error}
              </p>
            ) : null}
            <p className="text-zinc-600">
              Last message:{" "}
              <span title={dateTime(runtime.lastMessageAt)}>
                {runtime.lastMessageAt ? timeAgo(runtime.lastMessageAt) : "none yet"}
              </span>
              {runtime.consumedBy ? <span className="text-zinc-500"> · by {runtime.consumedBy}</span> : null}
            </p>
          </div>
        ) : (
          <p className="text-sm text-zinc-500">No report yet.</p>
        )}
      </div>
    </div>
  );
}
