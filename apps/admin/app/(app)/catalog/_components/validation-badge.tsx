import { Badge } from "@/components/ui";
import type { EventTypeSummary } from "@/lib/engine-types";

type Mode = NonNullable<EventTypeSummary["validation"]>;

const LOOK: Record<Mode, { tone: "red" | "amber" | "neutral"; label: string; title: string }> = {
  enforce: { tone: "red", label: "Enforce", title: "A payload that does not match is refused (400)" },
  warn: { tone: "amber", label: "Warn", title: "A payload that does not match is stored, flagged, with warnings" },
  off: { tone: "neutral", label: "Off", title: "Payloads are not checked" },
};

export function ValidationBadge({ mode }: { mode: Mode }) {
  const look = LOOK[mode];
  return (
    <Badge tone={look.tone} title={look.title}>
      {look.label}
    </Badge>
  );
}
