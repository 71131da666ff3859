"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { DeliveryDrawer } from "@/components/app/delivery-drawer";
import { NamedId } from "@/components/app/named-id";
import { useCan } from "@/components/app/session";
import { StatusBadge } from "@/components/app/status";
import { Badge, Button, Drawer, ErrorState, Loading } from "@/components/ui";
import { api } from "@/lib/api";
import type { EventRecord } from "@/lib/engine-types";
import { dateTime, pretty } from "@/lib/format";
import { ReplayEventDialog } from "./replay-event-dialog";

/** The catalog's verdict on an event, as a badge (nothing when it was not checked). */
export function SchemaBadge({ valid }: { valid: EventRecord["schemaValid"] }) {
  if (valid === false)
    return (
      <Badge tone="amber" dot title="The payload did not match its event type's schema (validation: warn)">
        Schema mismatch
      </Badge>
    );
  if (valid === true)
    return (
      <Badge tone="green" title="The payload matched its event type's schema">
        Schema OK
      </Badge>
    );
  return null;
}

export function EventDrawer({ eventId, onClose }: { eventId: string | null; onClose: () => void }) {
  const canReplay = useCan("deliveries.retry");
  const [delivery, setDelivery] = useState<string | null>(null);
  const [replaying, setReplaying] = useState(false);
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
        open={eventId !== null && delivery === null && !replaying}
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
              <div>
                <dt className="text-xs text-zinc-500">Schema</dt>
                <dd>
                  {e.schemaValid === null ? (
                    <span className="text-zinc-500">not checked</span>
                  ) : (
                    <SchemaBadge valid={e.schemaValid} />
                  )}
                </dd>
              </div>
              {e.dataschema ? (
                <div>
                  <dt className="text-xs text-zinc-500">dataschema</dt>
                  <dd className="truncate font-mono text-xs" title={e.dataschema}>
                    {e.dataschema}
                  </dd>
                </div>
              ) : null}
            </dl>
            <div>
              <div className="mb-2 flex items-center justify-between">
                <h3 className="text-sm font-semibold">Deliveries</h3>
                {canReplay ? (
                  <Button size="sm" onClick={() => setReplaying(true)}>
                    Replay to a connector
                  </Button>
                ) : null}
              </div>
              {(e.deliveries ?? []).length === 0 ? (
                <p className="text-sm text-zinc-500">No connector matched this event.</p>
              ) : (
                <ul className="divide-y divide-zinc-100 rounded-lg ring-1 ring-zinc-200">
                  {(e.deliveries ?? []).map((d) => (
                    <li key={d.id} className="flex items-center gap-3 px-3 py-2 text-sm" data-delivery={d.id}>
                      <StatusBadge status={d.status} />
                      <NamedId
                        name={d.connectorName}
                        id={d.connectorId}
                        href={`/connectors/${d.connectorId}?tab=deliveries`}
                      />
                      {d.replayId ? (
                        <Badge tone="violet" title={`Created by replay ${d.replayId}`}>
                          Replay
                        </Badge>
                      ) : null}
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
      {e ? (
        <ReplayEventDialog
          event={replaying ? e : null}
          onClose={() => {
            setReplaying(false);
            event.refetch();
          }}
        />
      ) : null}
    </>
  );
}
