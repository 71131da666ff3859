"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { StatusBadge } from "@/components/app/status";
import { cn, Drawer, ErrorState, Loading } from "@/components/ui";
import { api } from "@/lib/api";
import type { ExpectationDetail } from "@/lib/engine-types";
import { dateTime, pretty } from "@/lib/format";
import { ExpectationBadge, valueText } from "./expectation-status";

/** One expectation: its delivery and the confirmation side by side, differing values highlighted. */
export function ExpectationDrawer({ expectationId, onClose }: { expectationId: string | null; onClose: () => void }) {
  const detail = useQuery({
    queryKey: ["expectation", expectationId],
    queryFn: () => api.reconciliation.get(expectationId!),
    enabled: Boolean(expectationId),
    refetchInterval: 5_000,
  });
  const e = detail.data;
  return (
    <Drawer
      open={expectationId !== null}
      onClose={onClose}
      title={e ? <span className="font-mono">{e.key ?? "no key"}</span> : "Expectation"}
      description={<span className="font-mono text-xs">{expectationId}</span>}
    >
      {detail.isPending ? (
        <Loading label="Loading expectation" />
      ) : detail.isError || !e ? (
        <ErrorState error={detail.error} onRetry={() => detail.refetch()} />
      ) : (
        <ExpectationBody e={e} />
      )}
    </Drawer>
  );
}

function ExpectationBody({ e }: { e: ExpectationDetail }) {
  return (
    <div className="space-y-5" data-testid="expectation-detail">
      <div className="flex flex-wrap items-center gap-2">
        <ExpectationBadge status={e.status} late={e.late} />
        <span className="text-sm text-zinc-600">
          for{" "}
          <Link href={`/connectors/${e.connectorId}`} className="font-medium hover:underline">
            {e.connectorName ?? e.connectorId}
          </Link>
          , waiting for <code className="font-mono text-xs">{e.eventName}</code> with{" "}
          <code className="font-mono text-xs">{e.eventKey}</code> = its key
        </span>
      </div>
      {e.keyError ? (
        <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200" data-testid="key-error">
          No key: {e.keyError}. It cannot be matched and will be marked missing when due.
        </p>
      ) : null}
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <Fact label="Opened">{dateTime(e.openedAt)}</Fact>
        <Fact label="Due">{dateTime(e.dueAt)}</Fact>
        <Fact label="Marked missing">{dateTime(e.missingAt)}</Fact>
        <Fact label="Closed">{dateTime(e.closedAt)}</Fact>
      </dl>

      <section aria-label="Expected vs observed">
        <h3 className="mb-2 text-sm font-semibold">Expected vs observed</h3>
        {e.expected.length === 0 ? (
          <p className="text-sm text-zinc-500">This expectation compares no values: the key alone confirms it.</p>
        ) : (
          <table className="w-full table-fixed text-sm ring-1 ring-zinc-200">
            <thead className="bg-zinc-50 text-left text-xs text-zinc-500">
              <tr>
                <th className="px-3 py-2 font-medium">Expected (from the delivery)</th>
                <th className="px-3 py-2 font-medium">Observed (from the confirmation)</th>
              </tr>
            </thead>
            <tbody>
              {e.expected.map((pair, i) => {
                const observed = e.observed?.[i];
                const differs = e.differences.includes(i);
                return (
                  <tr
                    key={`${pair.expected}-${pair.observed}`}
                    className={cn("border-t border-zinc-100 align-top", differs && "bg-red-50")}
                    data-testid="compare-row"
                    data-differs={differs ? "true" : "false"}
                  >
                    <td className="px-3 py-2">
                      <div className="font-mono text-[11px] text-zinc-500">{pair.expected}</div>
                      <div className={cn("font-mono", differs && "font-semibold text-red-700")}>
                        {valueText(pair.value)}
                      </div>
                    </td>
                    <td className="px-3 py-2">
                      <div className="font-mono text-[11px] text-zinc-500">
                        {pair.observed}
                        {pair.optional ? " (compared when sent)" : ""}
                      </div>
                      <div className={cn("font-mono", differs && "font-semibold text-red-700")}>
                        {observed === undefined
                          ? "not observed yet"
                          : observed.missing
                            ? "not in the confirmation"
                            : valueText(observed.value)}
                      </div>
                      {differs ? <div className="mt-0.5 text-xs font-medium text-red-700">differs</div> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <div className="grid gap-4 lg:grid-cols-2">
        <Side title="The delivery" testId="delivery-side">
          {e.delivery ? (
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
              <StatusBadge status={e.delivery.status} />
              {e.delivery.lastStatusCode ? (
                <span className="text-zinc-500">HTTP {e.delivery.lastStatusCode}</span>
              ) : null}
              <span className="font-mono text-xs break-all text-zinc-500">{e.delivery.id}</span>
            </div>
          ) : (
            <p className="text-sm text-zinc-500">Pruned by retention ({e.deliveryId}).</p>
          )}
          <Json label={`Event ${e.event?.name ?? e.eventId}`} value={e.event?.payload} />
          <Json label="The provider's answer" value={answerBody(e.delivery?.response)} />
        </Side>
        <Side title="The confirmation" testId="confirmation-side">
          {e.observedEvent ? (
            <>
              <div className="space-y-0.5 text-sm">
                <code className="block font-mono text-xs break-all">{e.observedEvent.name}</code>
                <span className="block font-mono text-xs break-all text-zinc-500">{e.observedEvent.id}</span>
                <span className="block text-zinc-600">received {dateTime(e.observedEvent.receivedAt)}</span>
              </div>
              <Json label="Payload" value={e.observedEvent.payload} />
            </>
          ) : (
            <p className="text-sm text-zinc-500">
              {e.status === "MISSING" ? "Never came." : e.observedEventId ? "Pruned by retention." : "Not yet."}
            </p>
          )}
        </Side>
      </div>
    </div>
  );
}

function answerBody(response: unknown): unknown {
  if (!response || typeof response !== "object") return undefined;
  const body = (response as { body?: unknown }).body;
  if (typeof body !== "string") return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Side({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section className="min-w-0 space-y-2 rounded-lg p-3 ring-1 ring-zinc-200" data-testid={testId}>
      <h3 className="text-sm font-semibold">{title}</h3>
      {children}
    </section>
  );
}

function Json({ label, value }: { label: string; value: unknown }) {
  if (value === undefined) return null;
  return (
    <div className="min-w-0">
      <div className="mb-1 text-xs text-zinc-500">{label}</div>
      <pre className="max-h-64 overflow-auto rounded-md bg-zinc-50 p-2 font-mono text-[11px] leading-relaxed ring-1 ring-zinc-200">
        {typeof value === "string" ? value : pretty(value)}
      </pre>
    </div>
  );
}
