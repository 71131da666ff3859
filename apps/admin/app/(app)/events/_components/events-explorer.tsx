"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { LoadMore, QueryView } from "@/components/app/query-view";
import { useCan } from "@/components/app/session";
import { StatusBadge } from "@/components/app/status";
import { Button, EmptyState, Field, Input, PageHeader, Select, Table, TBody, Td, THead, Th, Tr } from "@/components/ui";
import { api } from "@/lib/api";
import { dateTime, timeAgo } from "@/lib/format";
import { EventDrawer, SchemaBadge } from "./event-drawer";
import { SendEventDialog } from "./send-event-dialog";

interface Filters {
  name: string;
  /** `datetime-local` values (the browser's time zone). */
  from: string;
  to: string;
  schema: "" | "false" | "true";
}

const NO_FILTERS: Filters = { name: "", from: "", to: "", schema: "" };
const iso = (local: string) => (local ? new Date(local).toISOString() : undefined);

export function EventsExplorer() {
  const canSend = useCan("events.ingest");
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);
  const [open, setOpen] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const events = useInfiniteQuery({
    queryKey: ["events", filters],
    queryFn: ({ pageParam }) =>
      api.events.list({
        name: filters.name || undefined,
        from: iso(filters.from),
        to: iso(filters.to),
        schemaValid: filters.schema || undefined,
        cursor: pageParam,
        limit: 50,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 5_000,
  });
  const list = events.data?.pages.flatMap((p) => p.events) ?? [];
  const filter = (e: FormEvent) => {
    e.preventDefault();
    setFilters({ ...draft, name: draft.name.trim() });
  };
  return (
    <>
      <PageHeader
        title="Events"
        description="Events received by the engine, newest first, and the deliveries each one started."
        actions={
          canSend ? (
            <Button variant="primary" onClick={() => setSending(true)}>
              Send test event
            </Button>
          ) : null
        }
      />
      <form onSubmit={filter} className="mb-3 flex flex-wrap items-end gap-2" aria-label="Filter events">
        <Field label="Event name" htmlFor="events-filter-name">
          <Input
            id="events-filter-name"
            type="search"
            placeholder="order.created or order.*"
            value={draft.name}
            onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))}
            className="w-56 font-mono text-xs"
          />
        </Field>
        <Field label="Received from" htmlFor="events-filter-from">
          <Input
            id="events-filter-from"
            type="datetime-local"
            value={draft.from}
            onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))}
            className="w-52 text-xs"
          />
        </Field>
        <Field label="Received before" htmlFor="events-filter-to">
          <Input
            id="events-filter-to"
            type="datetime-local"
            value={draft.to}
            onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))}
            className="w-52 text-xs"
          />
        </Field>
        <Field label="Schema" htmlFor="events-filter-schema">
          <Select
            id="events-filter-schema"
            value={draft.schema}
            onChange={(e) => setDraft((d) => ({ ...d, schema: e.target.value as Filters["schema"] }))}
            className="w-44 text-xs"
          >
            <option value="">Any</option>
            <option value="false">Mismatch only</option>
            <option value="true">Matched only</option>
          </Select>
        </Field>
        <Button type="submit">Filter</Button>
        {filtered ? (
          <Button
            variant="ghost"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
            }}
          >
            Clear
          </Button>
        ) : null}
      </form>
      <QueryView
        query={events}
        loading="Loading events"
        isEmpty={() => list.length === 0}
        empty={
          <EmptyState
            title={filtered ? "No events match these filters" : "No events yet"}
            description="Your services post events to POST /v1/events with an ingest token. Or send one from here to try a connector."
            actions={
              canSend ? (
                <Button variant="primary" onClick={() => setSending(true)}>
                  Send test event
                </Button>
              ) : undefined
            }
          />
        }
      >
        {() => (
          <>
            <Table>
              <THead>
                <tr>
                  <Th>Event</Th>
                  <Th>Name</Th>
                  <Th>Source</Th>
                  <Th>Deliveries</Th>
                  <Th>Received</Th>
                </tr>
              </THead>
              <TBody>
                {list.map((e) => (
                  <Tr
                    key={e.id}
                    interactive
                    tabIndex={0}
                    onClick={() => setOpen(e.id)}
                    onKeyDown={(k) => {
                      if (k.key === "Enter") setOpen(e.id);
                    }}
                  >
                    <Td className="font-mono text-xs">{e.id}</Td>
                    <Td>
                      <span className="flex flex-wrap items-center gap-1.5">
                        <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs">{e.name}</code>
                        {e.schemaValid === false ? <SchemaBadge valid={false} /> : null}
                      </span>
                    </Td>
                    <Td className="text-zinc-500">{e.source ?? "—"}</Td>
                    <Td>
                      {e.deliveries ? (
                        <span className="flex flex-wrap gap-1">
                          {e.deliveries.length === 0 ? <span className="text-zinc-400">none</span> : null}
                          {e.deliveries.slice(0, 4).map((d) => (
                            <span key={d.id} title={d.connectorName}>
                              <StatusBadge status={d.status} />
                            </span>
                          ))}
                          {e.deliveries.length > 4 ? (
                            <span className="text-xs text-zinc-500">+{e.deliveries.length - 4}</span>
                          ) : null}
                        </span>
                      ) : (
                        <span className="text-zinc-400">—</span>
                      )}
                    </Td>
                    <Td className="whitespace-nowrap" title={dateTime(e.receivedAt)}>
                      {timeAgo(e.receivedAt)}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
            <LoadMore query={events} label="Load older events" />
          </>
        )}
      </QueryView>
      <EventDrawer eventId={open} onClose={() => setOpen(null)} />
      <SendEventDialog open={sending} onClose={() => setSending(false)} />
    </>
  );
}
