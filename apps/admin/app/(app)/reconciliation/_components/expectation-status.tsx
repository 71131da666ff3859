import { Badge, type Tone } from "@/components/ui";

/** An expectation's status, or UNEXPECTED for an event nobody was waiting for. */
export type ReconciliationStatus = "OPEN" | "OBSERVED" | "MISMATCH" | "MISSING" | "UNEXPECTED";

export const RECONCILIATION_STATUSES: ReconciliationStatus[] = [
  "OPEN",
  "OBSERVED",
  "MISMATCH",
  "MISSING",
  "UNEXPECTED",
];

const TONE: Record<ReconciliationStatus, Tone> = {
  OPEN: "blue",
  OBSERVED: "green",
  MISMATCH: "red",
  MISSING: "amber",
  UNEXPECTED: "violet",
};

export const STATUS_TEXT: Record<ReconciliationStatus, { label: string; meaning: string }> = {
  OPEN: { label: "Open", meaning: "waiting for the provider's confirmation" },
  OBSERVED: { label: "Observed", meaning: "confirmed, values agree" },
  MISMATCH: { label: "Mismatch", meaning: "confirmed with different values" },
  MISSING: { label: "Missing", meaning: "no confirmation in time" },
  UNEXPECTED: { label: "Unexpected", meaning: "a confirmation nobody was waiting for" },
};

export function ExpectationBadge({ status, late }: { status: ReconciliationStatus; late?: boolean }) {
  return (
    <span className="inline-flex items-center gap-1">
      <Badge tone={TONE[status]} dot title={STATUS_TEXT[status].meaning}>
        {STATUS_TEXT[status].label}
      </Badge>
      {late ? (
        <Badge tone="amber" title="Confirmed after it had been marked missing">
          late
        </Badge>
      ) : null}
    </span>
  );
}

/** A compared value as text: JSON, with "—" for nothing. */
export function valueText(value: unknown): string {
  if (value === undefined || value === null) return "—";
  return typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
}
