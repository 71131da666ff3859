"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { CodeEditor } from "@/components/app/code-editor";
import { DeliveryDrawer } from "@/components/app/delivery-drawer";
import { NamedId } from "@/components/app/named-id";
import { LoadMore, QueryView } from "@/components/app/query-view";
import { useCan } from "@/components/app/session";
import { StatusBadge } from "@/components/app/status";
import {
  Button,
  Dialog,
  Drawer,
  EmptyState,
  ErrorState,
  Field,
  Input,
  Loading,
  PageHeader,
  Table,
  TBody,
  Td,
  THead,
  Th,
  Tr,
  useToast,
} from "@/components/ui";
import { api } from "@/lib/api";
import { dateTime, pretty, timeAgo } from "@/lib/format";

export function EventsExplorer() {
  const canSend = useCan("events.ingest");
  const [nameDraft, setNameDraft] = useState("");
  const [name, setName] = useState("");
  const [open, setOpen] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const events = useInfiniteQuery({
    queryKey: ["events", name],
    queryFn: ({ pageParam }) => api.events.list({ name: name || undefined, cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 5_000,
  });
  const list = events.data?.pages.flatMap((p) => p.events) ?? [];
  const filter = (e: FormEvent) => {
    e.preventDefault();
    setName(nameDraft.trim());
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
      <form onSubmit={filter} className="mb-3 flex items-center gap-2">
        <label htmlFor="event-name-filter" className="sr-only">
          Event name
        </label>
        <Input
          id="event-name-filter"
          type="search"
          placeholder="Filter by event name, e.g. order.created"
          value={nameDraft}
          onChange={(e) => {
            setNameDraft(e.target.value);
            if (!e.target.value) setName("");
          }}
          className="max-w-sm font-mono text-xs"
        />
        <Button type="submit">Filter</Button>
      </form>
      <QueryView
        query={events}
        loading="Loading events"
        isEmpty={() => list.length === 0}
        empty={
          <EmptyState
            title={name ? "No events with that name" : "No events yet"}
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
                      <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs">{e.name}</code>
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

function EventDrawer({ eventId, onClose }: { eventId: string | null; onClose: () => void }) {
  const [delivery, setDelivery] = useState<string | null>(null);
  const event = useQuery({
    queryKey: ["event", eventId],
    queryFn: () => api.events.get(eventId!),
    enabled: Boolean(eventId),
    refetchInterval: 3_000,
  });
  const e = event.data;
  return (
    <>
      <Drawer
        open={eventId !== null && delivery === null}
        onClose={onClose}
        title={e ? <code className="font-mono">{e.name}</code> : "Event"}
        description={<span className="font-mono text-xs">{eventId}</span>}
      >
        {event.isPending ? (
          <Loading label="Loading event" />
        ) : event.isError || !e ? (
          <ErrorState error={event.error} onRetry={() => event.refetch()} />
        ) : (
          <div className="space-y-5">
            <dl className="grid grid-cols-2 gap-3 text-sm">
              <div>
                <dt className="text-xs text-zinc-500">Source</dt>
                <dd>{e.source ?? "—"}</dd>
              </div>
              <div>
                <dt className="text-xs text-zinc-500">Received</dt>
                <dd>{dateTime(e.receivedAt)}</dd>
              </div>
            </dl>
            <div>
              <h3 className="mb-2 text-sm font-semibold">Deliveries</h3>
              {(e.deliveries ?? []).length === 0 ? (
                <p className="text-sm text-zinc-500">No connector matched this event.</p>
              ) : (
                <ul className="divide-y divide-zinc-100 rounded-lg ring-1 ring-zinc-200">
                  {(e.deliveries ?? []).map((d) => (
                    <li key={d.id} className="flex items-center gap-3 px-3 py-2 text-sm">
                      <StatusBadge status={d.status} />
                      <NamedId
                        name={d.connectorName}
                        id={d.connectorId}
                        href={`/connectors/${d.connectorId}?tab=deliveries`}
                      />
                      <button
                        type="button"
                        className="ml-auto text-xs font-medium text-zinc-600 hover:text-zinc-900"
                        onClick={() => setDelivery(d.id)}
                      >
                        Attempts ›
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <div>
              <h3 className="mb-2 text-sm font-semibold">Payload</h3>
              <pre className="max-h-96 overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-xs text-zinc-100">
                {pretty(e.payload)}
              </pre>
            </div>
          </div>
        )}
      </Drawer>
      <DeliveryDrawer deliveryId={delivery} onClose={() => setDelivery(null)} />
    </>
  );
}

const SAMPLE_PAYLOAD = pretty({
  orderId: "ord_1042",
  total: 129.9,
  currency: "EUR",
  customer: { email: "ada@example.com" },
});

function SendEventDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState("order.created");
  const [source, setSource] = useState("admin-test");
  const [payload, setPayload] = useState(SAMPLE_PAYLOAD);
  const [error, setError] = useState<string | null>(null);
  const send = useMutation({
    mutationFn: () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(payload);
      } catch (e) {
        throw new Error(`The payload is not valid JSON: ${(e as Error).message}`);
      }
      return api.events.send({ name: name.trim(), source: source.trim() || undefined, payload: parsed });
    },
    onSuccess: (res) => {
      const n = res.deliveries.length;
      toast.success(
        `Event accepted: ${res.id}`,
        n ? `${n} ${n === 1 ? "delivery" : "deliveries"} started` : "No connector matches this event name",
      );
      qc.invalidateQueries({ queryKey: ["events"] });
      onClose();
    },
    onError: (e) => setError(e.message),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    send.mutate();
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Send test event"
      description="Posted to the engine exactly like your services do (POST /v1/events)."
    >
      <form id="send-event" onSubmit={submit} className="space-y-4">
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Event name" htmlFor="send-name">
            <Input
              id="send-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              className="font-mono"
              required
            />
          </Field>
          <Field label="Source" htmlFor="send-source">
            <Input id="send-source" value={source} onChange={(e) => setSource(e.target.value)} />
          </Field>
        </div>
        <div>
          <p className="mb-1.5 text-[13px] font-medium text-zinc-700" id="send-payload-label">
            Payload (JSON)
          </p>
          <CodeEditor
            path="send-event-payload.json"
            value={payload}
            onChange={setPayload}
            height={200}
            ariaLabel="Payload (JSON)"
          />
        </div>
        {error ? (
          <p className="text-sm text-red-600" role="alert">
            {error}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={send.isPending} disabled={!name.trim()}>
            Send event
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
