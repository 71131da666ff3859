"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { NamedId } from "@/components/app/named-id";
import { LoadMore, QueryView } from "@/components/app/query-view";
import { EmptyState, Field, PageHeader, Select, Table, Tabs, TBody, Td, THead, Th, Tr } from "@/components/ui";
import { api } from "@/lib/api";
import type { Expectation, UnexpectedEvent } from "@/lib/engine-types";
import { dateTime, timeAgo } from "@/lib/format";
import { ExpectationDrawer } from "./expectation-drawer";
import {
  ExpectationBadge,
  RECONCILIATION_STATUSES,
  type ReconciliationStatus,
  STATUS_TEXT,
} from "./expectation-status";
import { ReconciliationSummaryView } from "./reconciliation-summary";

type Item = Expectation | UnexpectedEvent;
const ALL = "ALL";

/**
 * Expected vs observed (DESIGN §14): what each connector with `expect` is waiting for from its provider,
 * what came, what did not, and what came that nobody expected.
 */
export function ReconciliationView() {
  const [status, setStatus] = useState<ReconciliationStatus | typeof ALL>(ALL);
  const [connectorId, setConnectorId] = useState("");
  const [open, setOpen] = useState<string | null>(null);

  const summary = useQuery({
    queryKey: ["reconciliation-summary"],
    queryFn: () => api.reconciliation.summary(),
    refetchInterval: 5_000,
  });
  const list = useInfiniteQuery({
    queryKey: ["reconciliation", status, connectorId],
    queryFn: ({ pageParam }) =>
      api.reconciliation.list({
        status: status === ALL ? undefined : status,
        connectorId: connectorId || undefined,
        cursor: pageParam,
        limit: 50,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 5_000,
  });
  const items: Item[] = list.data?.pages.flatMap((p) => p.items) ?? [];
  const connectors = summary.data?.connectors ?? [];
  const pick = (filter: { status?: ReconciliationStatus; connectorId?: string }) => {
    setStatus(filter.status ?? ALL);
    setConnectorId(filter.connectorId ?? "");
  };

  return (
    <>
      <PageHeader
        title="Reconciliation"
        description="After a successful delivery, a connector with an expectation waits for its provider's confirmation event. Here is what came, what differs, what never came, and what came unasked."
      />
      <QueryView query={summary} loading="Loading the summary">
        {(data) => <ReconciliationSummaryView summary={data} onPick={pick} />}
      </QueryView>

      <div className="mt-6 flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0 flex-1">
          <Tabs
            idPrefix="reconciliation"
            value={status}
            onChange={(id) => setStatus(id as ReconciliationStatus | typeof ALL)}
            items={[
              { id: ALL, label: "All expectations" },
              ...RECONCILIATION_STATUSES.map((s) => ({ id: s, label: STATUS_TEXT[s].label })),
            ]}
          />
        </div>
        <Field label="Connector" htmlFor="reconciliation-connector" className="w-64">
          <Select id="reconciliation-connector" value={connectorId} onChange={(e) => setConnectorId(e.target.value)}>
            <option value="">Every connector</option>
            {connectors.map((c) => (
              <option key={c.connectorId} value={c.connectorId}>
                {c.connectorName ?? c.connectorId}
              </option>
            ))}
          </Select>
        </Field>
      </div>

      <div id="reconciliation-panel" role="tabpanel" className="mt-3">
        <QueryView
          query={list}
          loading="Loading expectations"
          isEmpty={() => items.length === 0}
          empty={
            <EmptyState
              title={status === ALL ? "Nothing expected yet" : `Nothing ${STATUS_TEXT[status].label.toLowerCase()}`}
              description="Give a connector an expectation (its Reconciliation section): after each successful delivery, the engine waits for the provider's confirmation event with the same key."
            />
          }
        >
          {() => (
            <>
              <Table>
                <THead>
                  <tr>
                    <Th>Status</Th>
                    <Th>Connector</Th>
                    <Th>Key</Th>
                    <Th>Confirmation</Th>
                    <Th>{status === "UNEXPECTED" ? "Received" : "Opened"}</Th>
                    <Th>{status === "UNEXPECTED" ? "Why" : "Due / closed"}</Th>
                  </tr>
                </THead>
                <TBody>
                  {items.map((item) =>
                    item.status === "UNEXPECTED" ? (
                      <UnexpectedRow key={item.id} item={item} />
                    ) : (
                      <ExpectationRow key={item.id} item={item} onOpen={() => setOpen(item.id)} />
                    ),
                  )}
                </TBody>
              </Table>
              <LoadMore query={list} label="Load older" />
            </>
          )}
        </QueryView>
      </div>
      <ExpectationDrawer expectationId={open} onClose={() => setOpen(null)} />
    </>
  );
}

function ExpectationRow({ item, onOpen }: { item: Expectation; onOpen: () => void }) {
  return (
    <Tr
      interactive
      tabIndex={0}
      onClick={onOpen}
      onKeyDown={(k) => {
        if (k.key === "Enter") onOpen();
      }}
      data-testid="expectation-row"
    >
      <Td>
        <ExpectationBadge status={item.status} late={item.late} />
      </Td>
      <Td>
        <NamedId name={item.connectorName} id={item.connectorId} />
      </Td>
      <Td className="font-mono text-xs">
        {item.key ?? (
          <span className="text-red-600" title={item.keyError ?? undefined}>
            no key
          </span>
        )}
      </Td>
      <Td>
        <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs">{item.eventName}</code>
      </Td>
      <Td className="whitespace-nowrap" title={dateTime(item.openedAt)}>
        {timeAgo(item.openedAt)}
      </Td>
      <Td className="whitespace-nowrap text-zinc-600" title={dateTime(item.closedAt ?? item.dueAt)}>
        {item.status === "OPEN" ? `due ${timeAgo(item.dueAt)}` : timeAgo(item.closedAt)}
      </Td>
    </Tr>
  );
}

const REASONS: Record<UnexpectedEvent["reason"], string> = {
  no_expectation: "no expectation with this key",
  already_closed: "its expectation was already confirmed",
  no_key: "the event has no key",
};

function UnexpectedRow({ item }: { item: UnexpectedEvent }) {
  return (
    <Tr data-testid="unexpected-row">
      <Td>
        <ExpectationBadge status="UNEXPECTED" />
      </Td>
      <Td>
        <NamedId name={item.connectorName} id={item.connectorId} />
      </Td>
      <Td className="font-mono text-xs">{item.key ?? "—"}</Td>
      <Td>
        <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs">{item.eventName}</code>{" "}
        <span className="font-mono text-[11px] text-zinc-500">{item.eventId}</span>
      </Td>
      <Td className="whitespace-nowrap" title={dateTime(item.receivedAt)}>
        {timeAgo(item.receivedAt)}
      </Td>
      <Td className="text-zinc-600">{REASONS[item.reason]}</Td>
    </Tr>
  );
}
