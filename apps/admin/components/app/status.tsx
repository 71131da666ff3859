import { Badge, type Tone } from "@/components/ui";
import type { CircuitState, DeliveryStatus } from "@/lib/engine-types";

export const STATUS_TONE: Record<DeliveryStatus, Tone> = {
  PENDING: "neutral",
  PROCESSING: "blue",
  RETRY_SCHEDULED: "amber",
  SUCCESS: "green",
  FAILED: "red",
  DLQ: "violet",
};

export const STATUS_LABEL: Record<DeliveryStatus, string> = {
  PENDING: "Pending",
  PROCESSING: "Processing",
  RETRY_SCHEDULED: "Retry scheduled",
  SUCCESS: "Success",
  FAILED: "Failed",
  DLQ: "DLQ",
};

export function StatusBadge({ status }: { status: DeliveryStatus | string }) {
  const s = status as DeliveryStatus;
  return (
    <Badge tone={STATUS_TONE[s] ?? "neutral"} dot>
      {STATUS_LABEL[s] ?? status}
    </Badge>
  );
}

export function CircuitBadge({ state }: { state: CircuitState | undefined }) {
  if (!state) return <span className="text-zinc-400">—</span>;
  const tone: Tone = state === "open" ? "red" : state === "half_open" ? "amber" : "green";
  const label = state === "half_open" ? "half-open" : state;
  return (
    <Badge tone={tone} dot title={`Circuit breaker ${label}`}>
      {label}
    </Badge>
  );
}

export function DlqBadge({ count }: { count: number | undefined }) {
  if (!count) return null;
  return (
    <Badge tone="violet" title={`${count} deliveries in the dead-letter queue`}>
      <span data-testid="dlq-badge">DLQ {count}</span>
    </Badge>
  );
}
