import { Badge, type Tone } from "@/components/ui";
import type { DeliveryStatus } from "@/lib/types";

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

export function circuitOf(value: unknown): string | null {
  if (!value) return null;
  if (typeof value === "string") return value;
  if (typeof value === "object" && "state" in (value as object)) return String((value as { state: unknown }).state);
  return null;
}

export function CircuitBadge({ state }: { state: unknown }) {
  const s = circuitOf(state);
  if (!s) return <span className="text-zinc-400">—</span>;
  const norm = s.toLowerCase().replace("-", "_");
  const tone: Tone = norm === "open" ? "red" : norm === "half_open" ? "amber" : "green";
  const label = norm === "half_open" ? "half-open" : norm;
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
