"use client";

import Link from "next/link";
import { Card, Table, TBody, Td, THead, Th, Tr } from "@/components/ui";
import type { ReconciliationSummary } from "@/lib/engine-types";
import { count, ms, timeAgo } from "@/lib/format";
import { RECONCILIATION_STATUSES, type ReconciliationStatus, STATUS_TEXT } from "./expectation-status";

const CARD_TONE: Record<ReconciliationStatus, string> = {
  OPEN: "text-sky-700",
  OBSERVED: "text-emerald-700",
  MISMATCH: "text-red-700",
  MISSING: "text-amber-700",
  UNEXPECTED: "text-violet-700",
};

/** Totals per status (each card filters the list), time to observe, and the numbers per connector. */
export function ReconciliationSummaryView({
  summary,
  onPick,
}: {
  summary: ReconciliationSummary;
  onPick: (filter: { status?: ReconciliationStatus; connectorId?: string }) => void;
}) {
  const t = summary.totals;
  return (
    <div className="space-y-4">
      <section aria-label="Totals" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {RECONCILIATION_STATUSES.map((status) => (
          <button
            key={status}
            type="button"
            onClick={() => onPick({ status })}
            className="rounded-lg bg-white p-3 text-left ring-1 ring-zinc-200 transition hover:ring-zinc-300"
            data-testid={`total-${status}`}
          >
            <div className="text-xs font-medium text-zinc-500">{STATUS_TEXT[status].label}</div>
            <div
              className={`mt-1 text-2xl font-semibold tabular-nums ${t[status] ? CARD_TONE[status] : "text-zinc-400"}`}
            >
              {count(t[status])}
            </div>
            <div className="mt-0.5 text-[11px] leading-snug text-zinc-500">{STATUS_TEXT[status].meaning}</div>
          </button>
        ))}
        <div className="rounded-lg bg-white p-3 ring-1 ring-zinc-200" data-testid="time-to-observe">
          <div className="text-xs font-medium text-zinc-500">Time to observe</div>
          <div className="mt-1 text-2xl font-semibold tabular-nums text-zinc-800">
            {ms(summary.timeToObserveMs.p50)}
          </div>
          <div className="mt-0.5 text-[11px] text-zinc-500">
            p50 · p95 {ms(summary.timeToObserveMs.p95)} · {count(summary.timeToObserveMs.count)} confirmed
          </div>
        </div>
      </section>
      {summary.oldestOpen ? (
        <p className="text-sm text-zinc-600" data-testid="oldest-open">
          Oldest open expectation: opened {timeAgo(summary.oldestOpen.openedAt)}, due{" "}
          {timeAgo(summary.oldestOpen.dueAt)}.
        </p>
      ) : null}
      {summary.connectors.length > 0 ? (
        <Card className="overflow-hidden">
          <Table>
            <THead>
              <tr>
                <Th>Connector</Th>
                {RECONCILIATION_STATUSES.map((s) => (
                  <Th key={s} className="text-right">
                    {STATUS_TEXT[s].label}
                  </Th>
                ))}
                <Th>Oldest open</Th>
              </tr>
            </THead>
            <TBody>
              {summary.connectors.map((c) => (
                <Tr key={c.connectorId} data-testid="summary-connector">
                  <Td>
                    <Link href={`/connectors/${c.connectorId}`} className="font-medium hover:underline">
                      {c.connectorName ?? c.connectorId}
                    </Link>
                  </Td>
                  {RECONCILIATION_STATUSES.map((s) => (
                    <Td key={s} className="text-right tabular-nums">
                      {c.counts[s] ? (
                        <button
                          type="button"
                          className={`font-semibold hover:underline ${CARD_TONE[s]}`}
                          aria-label={`${STATUS_TEXT[s].label}: ${c.counts[s]} of ${c.connectorName ?? c.connectorId}`}
                          onClick={() => onPick({ status: s, connectorId: c.connectorId })}
                        >
                          {count(c.counts[s])}
                        </button>
                      ) : (
                        <span className="text-zinc-400">0</span>
                      )}
                    </Td>
                  ))}
                  <Td className="whitespace-nowrap text-zinc-500">{c.oldestOpenAt ? timeAgo(c.oldestOpenAt) : "—"}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </Card>
      ) : null}
    </div>
  );
}
