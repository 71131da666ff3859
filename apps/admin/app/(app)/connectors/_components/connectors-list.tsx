"use client";

import { useQueries, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { QueryView } from "@/components/app/query-view";
import { useCan } from "@/components/app/session";
import { CircuitBadge, DlqBadge } from "@/components/app/status";
import { Badge, buttonClass, EmptyState, Input, PageHeader, Table, TBody, Td, THead, Th, Tr } from "@/components/ui";
import { api } from "@/lib/api";
import type { Connector, GlobalMetrics } from "@/lib/engine-types";
import { count, dateTime, hostOf, percent, timeAgo } from "@/lib/format";
import { disabledByEngine } from "./disabled-banner";
import { EnableSwitch } from "./enable-switch";

/** What the Destination column shows: the HTTP method and host, or the broker and where it publishes. */
function whereTo(d: Connector["destination"]): { kind: string; address: string; short: string } {
  const x = d as {
    type?: string;
    url?: string;
    method?: string;
    servers?: string;
    exchange?: string;
    subject?: string;
  };
  if (x.type === "amqp") return { kind: "AMQP", address: x.url ?? "", short: x.exchange || hostOf(x.url) };
  if (x.type === "nats") return { kind: "NATS", address: x.servers ?? "", short: x.subject ?? "" };
  return { kind: x.method ?? "POST", address: x.url ?? "", short: hostOf(x.url) };
}

/** One connector's 24 h figures from the global metrics. */
type Figures = GlobalMetrics["connectors"][number];

export function ConnectorsList() {
  const router = useRouter();
  const canWrite = useCan("connectors.write");
  const [search, setSearch] = useState("");
  const connectors = useQuery({ queryKey: ["connectors"], queryFn: api.connectors.list, refetchInterval: 15_000 });
  // One call for every connector's 24h numbers; the last delivery comes from each connector's newest log entry.
  const global = useQuery({ queryKey: ["metrics"], queryFn: api.metrics, refetchInterval: 15_000, retry: false });
  const ids = connectors.data?.map((c) => c.id) ?? [];
  const lastDeliveries = useQueries({
    queries: ids.map((id) => ({
      queryKey: ["logs", id, "latest"],
      queryFn: () => api.connectors.logs(id, { limit: 1 }),
      refetchInterval: 15_000,
      retry: false,
    })),
  });
  const figuresById = new Map((global.data?.connectors ?? []).map((m) => [m.id, m]));
  const lastDeliveryAt = new Map(ids.map((id, i) => [id, lastDeliveries[i]?.data?.deliveries[0]?.createdAt]));

  const filtered = useMemo(() => {
    const q = search.trim().toLowerCase();
    const all = connectors.data ?? [];
    if (!q) return all;
    return all.filter((c) =>
      [c.name, c.sourceEvent, whereTo(c.destination).address, c.id, c.description ?? ""].some((f) =>
        f?.toLowerCase().includes(q),
      ),
    );
  }, [connectors.data, search]);

  const newActions = canWrite ? (
    <>
      <Link href="/presets" className={buttonClass("secondary")}>
        From a preset
      </Link>
      <Link href="/connectors/new" className={buttonClass("primary")}>
        New connector
      </Link>
    </>
  ) : null;

  return (
    <>
      <PageHeader
        title="Connectors"
        description="Each connector maps a source event to a request and delivers it, with retries and a dead-letter queue."
        actions={connectors.data?.length ? newActions : null}
      />
      <QueryView
        query={connectors}
        loading="Loading connectors"
        empty={
          <EmptyState
            title="No connectors yet"
            description="A connector turns an event like order.created into a request to an API or webhook. Start from scratch or from a ready-made preset."
            actions={newActions ?? <span className="text-sm text-zinc-500">An admin can create the first one.</span>}
          />
        }
      >
        {(all) => (
          <>
            <div className="mb-3 flex items-center gap-3">
              <label htmlFor="connector-search" className="sr-only">
                Search connectors
              </label>
              <Input
                id="connector-search"
                type="search"
                placeholder="Search by name, event, URL or id"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                className="max-w-sm"
              />
              <span className="shrink-0 text-xs text-zinc-500">
                {filtered.length} of {all.length}
              </span>
            </div>
            {filtered.length === 0 ? (
              <EmptyState title="No connector matches" description={`Nothing matches “${search}”.`} />
            ) : (
              <Table>
                <THead>
                  <tr>
                    <Th>Name</Th>
                    <Th>Source event</Th>
                    <Th>Destination</Th>
                    <Th>Enabled</Th>
                    <Th className="text-right">Last 24 h</Th>
                    <Th>DLQ</Th>
                    <Th>Circuit</Th>
                    <Th>Last delivery</Th>
                  </tr>
                </THead>
                <TBody>
                  {filtered.map((c) => (
                    <ConnectorRow
                      key={c.id}
                      connector={c}
                      metrics={figuresById.get(c.id)}
                      last={lastDeliveryAt.get(c.id)}
                      canWrite={canWrite}
                      onOpen={() => router.push(`/connectors/${c.id}`)}
                    />
                  ))}
                </TBody>
              </Table>
            )}
          </>
        )}
      </QueryView>
    </>
  );
}

function ConnectorRow({
  connector: c,
  metrics: m,
  last,
  canWrite,
  onOpen,
}: {
  connector: Connector;
  metrics: Figures | undefined;
  last: string | undefined;
  canWrite: boolean;
  onOpen: () => void;
}) {
  return (
    <Tr
      interactive
      tabIndex={0}
      data-testid="connector-row"
      onClick={onOpen}
      onKeyDown={(e) => {
        // Enter on the row (or on its switch, which flips with Space) opens the connector.
        const target = e.target as HTMLElement;
        if (e.key === "Enter" && (target === e.currentTarget || target.getAttribute("role") === "switch")) {
          e.preventDefault();
          onOpen();
        }
      }}
    >
      <Td>
        <Link
          href={`/connectors/${c.id}`}
          className="font-medium text-zinc-900 hover:text-accent-700"
          onClick={(e) => e.stopPropagation()}
        >
          {c.name}
        </Link>
        {disabledByEngine(c) ? (
          <Badge
            tone="red"
            className="mt-0.5 flex w-fit"
            title={`Disabled by the engine: ${c.disabledReason}${c.disabledAt ? `, ${dateTime(c.disabledAt)}` : ""}`}
          >
            <span data-testid="disabled-marker">disabled by the engine</span>
          </Badge>
        ) : null}
        <div className="max-w-[8rem] truncate font-mono text-[11px] text-zinc-400" title={c.id}>
          {c.id}
        </div>
      </Td>
      <Td>
        <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700">{c.sourceEvent}</code>
      </Td>
      <Td>
        <span className="inline-flex items-center gap-1.5">
          <Badge>{whereTo(c.destination).kind}</Badge>
          <span className="max-w-[16rem] truncate" title={whereTo(c.destination).address}>
            {whereTo(c.destination).short}
          </span>
        </span>
      </Td>
      <Td onClick={(e) => e.stopPropagation()}>
        <EnableSwitch connector={c} canWrite={canWrite} />
      </Td>
      <Td className="text-right text-xs whitespace-nowrap tabular-nums">
        <div
          data-testid="delivered-24h"
          title={
            m?.success24h !== undefined
              ? `${m.success24h} delivered, ${m.failure24h ?? 0} ended failed: ${percent(m.success24h, m.failure24h)} success rate`
              : undefined
          }
        >
          <span className="text-sm text-zinc-900">{count(m?.success24h)}</span> delivered
        </div>
        <div
          data-testid="failed-attempts-24h"
          className={m?.failedAttempts24h ? "text-amber-700" : "text-zinc-400"}
          title="Attempts in the last 24 hours that did not succeed, retried ones included"
        >
          {count(m?.failedAttempts24h)} failed {m?.failedAttempts24h === 1 ? "attempt" : "attempts"}
        </div>
      </Td>
      <Td>{m?.dlqOpen ? <DlqBadge count={m.dlqOpen} /> : <span className="text-zinc-400">0</span>}</Td>
      <Td>
        <CircuitBadge state={m?.circuitState} />
      </Td>
      <Td className="text-xs whitespace-nowrap" title={dateTime(last)}>
        {last ? timeAgo(last) : <span className="text-zinc-400">never</span>}
      </Td>
    </Tr>
  );
}
