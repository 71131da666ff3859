"use client";

import { DELIVERY_STATUSES } from "@ib/core/contracts/delivery-status";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { DeliveryDrawer, RETRYABLE } from "@/components/app/delivery-drawer";
import { LoadMore, QueryView } from "@/components/app/query-view";
import { useCan } from "@/components/app/session";
import { STATUS_LABEL, StatusBadge } from "@/components/app/status";
import { Button, cn, Dialog, EmptyState, Input, Table, TBody, Td, THead, Th, Tr, useToast } from "@/components/ui";
import { api } from "@/lib/api";
import type { Connector, DeliveryStatus } from "@/lib/engine-types";
import { dateTime, timeAgo } from "@/lib/format";
import { BulkRetry, type DlqSubset } from "./bulk-retry";
import { ReplayDialog } from "./replay-dialog";

export function DeliveriesTab({ connector, dlqOpen }: { connector: Connector; dlqOpen: number }) {
  const qc = useQueryClient();
  const toast = useToast();
  const canRetry = useCan("deliveries.retry");
  const [status, setStatus] = useState<DeliveryStatus | null>(null);
  const [eventDraft, setEventDraft] = useState("");
  const [eventId, setEventId] = useState("");
  const [open, setOpen] = useState<string | null>(null);
  const [confirmDlq, setConfirmDlq] = useState(false);
  const [subset, setSubset] = useState<DlqSubset>({});
  const [replaying, setReplaying] = useState(false);
  // The bulk-retry filter narrows the list while it shows the DLQ, so the list is what "Retry these N" takes.
  const narrowed = status === "DLQ" ? subset : {};

  const logs = useInfiniteQuery({
    queryKey: ["logs", connector.id, status, eventId, narrowed],
    queryFn: ({ pageParam }) =>
      api.connectors.logs(connector.id, {
        status: status ?? undefined,
        eventId: eventId || undefined,
        ...narrowed,
        cursor: pageParam,
        limit: 50,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 3_000,
  });
  const deliveries = logs.data?.pages.flatMap((p) => p.deliveries) ?? [];

  const retryDlq = useMutation({
    mutationFn: () => api.connectors.retryDlq(connector.id),
    onSuccess: ({ requeued }) => {
      setConfirmDlq(false);
      toast.success(
        `Requeued ${requeued} ${requeued === 1 ? "delivery" : "deliveries"}`,
        "They get a fresh round of attempts; their history is kept.",
      );
      qc.invalidateQueries({ queryKey: ["logs", connector.id] });
      qc.invalidateQueries({ queryKey: ["connector-metrics", connector.id] });
    },
    onError: (e) => toast.error("Could not retry the DLQ", e.message),
  });
  const retryOne = useMutation({
    mutationFn: (id: string) => api.deliveries.retry(id),
    onSuccess: () => {
      toast.success("Delivery queued for retry");
      qc.invalidateQueries({ queryKey: ["logs", connector.id] });
      qc.invalidateQueries({ queryKey: ["connector-metrics", connector.id] });
    },
    onError: (e) => toast.error("Could not retry", e.message),
  });

  const search = (e: FormEvent) => {
    e.preventDefault();
    setEventId(eventDraft.trim());
  };

  return (
    <div>
      {dlqOpen > 0 ? (
        <div className="mb-4 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-violet-200 bg-violet-50 px-4 py-3">
          <div className="text-sm text-violet-900">
            <span className="font-semibold" data-testid="dlq-count">
              {dlqOpen} {dlqOpen === 1 ? "delivery" : "deliveries"}
            </span>{" "}
            in the dead-letter queue: retries ran out.
          </div>
          {canRetry ? (
            <Button variant="primary" onClick={() => setConfirmDlq(true)}>
              Retry DLQ
            </Button>
          ) : null}
        </div>
      ) : null}

      <div className="mb-3 flex flex-wrap items-center gap-3">
        <fieldset className="flex flex-wrap gap-1.5">
          <legend className="sr-only">Filter by status</legend>
          <Chip active={status === null} onClick={() => setStatus(null)}>
            All
          </Chip>
          {DELIVERY_STATUSES.map((s) => (
            <Chip key={s} active={status === s} onClick={() => setStatus(status === s ? null : s)}>
              {STATUS_LABEL[s]}
            </Chip>
          ))}
        </fieldset>
        {canRetry ? (
          <Button size="sm" onClick={() => setReplaying(true)}>
            Replay events
          </Button>
        ) : null}
        <form onSubmit={search} className="ml-auto flex items-center gap-2">
          <label htmlFor="delivery-event" className="sr-only">
            Event id
          </label>
          <Input
            id="delivery-event"
            type="search"
            placeholder="Event id (evt_…)"
            value={eventDraft}
            onChange={(e) => {
              setEventDraft(e.target.value);
              if (!e.target.value) setEventId("");
            }}
            className="w-56 font-mono text-xs"
          />
          <Button type="submit">Search</Button>
        </form>
      </div>

      {status === "DLQ" ? (
        <BulkRetry connectorId={connector.id} subset={subset} onSubset={setSubset} canRetry={canRetry} />
      ) : null}

      <QueryView
        query={logs}
        loading="Loading deliveries"
        isEmpty={() => deliveries.length === 0}
        empty={
          <EmptyState
            title={status || eventId ? "No deliveries match" : "No deliveries yet"}
            description={
              status || eventId
                ? "Try another status or clear the search."
                : `Deliveries appear when an event named ${connector.sourceEvent} arrives. Send a test event from the Events page.`
            }
          />
        }
      >
        {() => (
          <>
            <Table>
              <THead>
                <tr>
                  <Th>Status</Th>
                  <Th>Event</Th>
                  <Th className="text-right">Attempts</Th>
                  <Th>Last response</Th>
                  <Th>Created</Th>
                  <Th>Next attempt</Th>
                  <Th className="text-right">
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </THead>
              <TBody>
                {deliveries.map((d) => (
                  <Tr
                    key={d.id}
                    interactive
                    tabIndex={0}
                    data-testid="delivery-row"
                    onClick={() => setOpen(d.id)}
                    onKeyDown={(e) => {
                      if (e.key === "Enter") setOpen(d.id);
                    }}
                  >
                    <Td>
                      <StatusBadge status={d.status} />
                    </Td>
                    <Td className="font-mono text-xs">{d.eventId}</Td>
                    <Td className="text-right tabular-nums">{d.totalAttempts}</Td>
                    <Td title={d.lastError ?? undefined}>
                      {d.lastStatusCode ? (
                        <span className="font-mono text-xs">HTTP {d.lastStatusCode}</span>
                      ) : d.lastError ? (
                        <span className="block max-w-[18rem] truncate text-xs text-red-600">{d.lastError}</span>
                      ) : (
                        "—"
                      )}
                    </Td>
                    <Td className="whitespace-nowrap" title={dateTime(d.createdAt)}>
                      {timeAgo(d.createdAt)}
                    </Td>
                    <Td className="whitespace-nowrap">
                      {d.status === "RETRY_SCHEDULED" && d.nextAttemptAt ? timeAgo(d.nextAttemptAt) : "—"}
                    </Td>
                    <Td className="text-right" onClick={(e) => e.stopPropagation()}>
                      {canRetry && RETRYABLE.has(d.status) ? (
                        <Button size="sm" onClick={() => retryOne.mutate(d.id)} aria-label={`Retry delivery ${d.id}`}>
                          Retry
                        </Button>
                      ) : null}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
            <LoadMore query={logs} label="Load older deliveries" />
          </>
        )}
      </QueryView>
      <DeliveryDrawer deliveryId={open} onClose={() => setOpen(null)} />
      <ReplayDialog connector={connector} open={replaying} onClose={() => setReplaying(false)} />
      <Dialog
        open={confirmDlq}
        onClose={() => setConfirmDlq(false)}
        title="Retry the dead-letter queue?"
        description={`${dlqOpen} ${dlqOpen === 1 ? "delivery goes" : "deliveries go"} back to PENDING for a fresh round of attempts. Their attempt history is kept.`}
        footer={
          <>
            <Button onClick={() => setConfirmDlq(false)}>Cancel</Button>
            <Button variant="primary" loading={retryDlq.isPending} onClick={() => retryDlq.mutate()}>
              Retry {dlqOpen} {dlqOpen === 1 ? "delivery" : "deliveries"}
            </Button>
          </>
        }
      />
    </div>
  );
}

function Chip({ active, onClick, children }: { active: boolean; onClick: () => void; children: React.ReactNode }) {
  return (
    <button
      type="button"
      aria-pressed={active}
      onClick={onClick}
      className={cn(
        "rounded-full px-2.5 py-1 text-xs font-medium ring-1 ring-inset transition-colors",
        active ? "bg-zinc-900 text-white ring-zinc-900" : "bg-white text-zinc-600 ring-zinc-300 hover:bg-zinc-50",
      )}
    >
      {children}
    </button>
  );
}
