"use client";

import { useQuery } from "@tanstack/react-query";
import { QueryView } from "@/components/app/query-view";
import { Button, Dialog } from "@/components/ui";
import { api } from "@/lib/api";
import type { EventRecord } from "@/lib/engine-types";
import { dateTime, timeAgo } from "@/lib/format";

/**
 * "Use a recent event": the last events the connector's source event matches, from the events store; one
 * becomes the sample as the mapping sees it (`{ id, name, source, time, payload }`), its payload's keys in
 * the order the event was received (the events store keeps them so).
 */
export function RecentEventDialog({
  open,
  sourceEvent,
  onClose,
  onPick,
}: {
  open: boolean;
  sourceEvent: string;
  onClose: () => void;
  onPick: (sampleText: string) => void;
}) {
  const name = sourceEvent.trim();
  const events = useQuery({
    queryKey: ["recent-events", name],
    queryFn: async () => (await api.events.list({ name, limit: 10 })).events,
    enabled: open && name !== "",
    staleTime: 5_000,
  });
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Use a recent event"
      description={
        <>
          The last events named <code className="font-mono text-zinc-700">{name || "…"}</code>; the one you pick
          replaces the sample event.
        </>
      }
      className="max-w-2xl"
    >
      {name === "" ? (
        <p className="text-sm text-zinc-500">Enter the source event first.</p>
      ) : (
        <QueryView
          query={events}
          loading="Loading recent events"
          empty={<p className="text-sm text-zinc-500">No event with this name has been received yet.</p>}
        >
          {(list) => (
            <ul className="divide-y divide-zinc-200" aria-label="Recent events">
              {list.map((e) => (
                <li key={e.id} className="flex items-start gap-3 py-2.5">
                  <div className="min-w-0 flex-1">
                    <p className="text-sm">
                      <span className="font-mono text-zinc-900">{e.name}</span>{" "}
                      <span className="text-zinc-500" title={dateTime(e.receivedAt)}>
                        {timeAgo(e.receivedAt)}
                      </span>
                    </p>
                    <p className="truncate font-mono text-xs text-zinc-500" title={JSON.stringify(e.payload)}>
                      {e.id} · {JSON.stringify(e.payload)}
                    </p>
                  </div>
                  <Button size="sm" onClick={() => onPick(sampleText(e))} aria-label={`Use ${e.id} as the sample`}>
                    Use
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </QueryView>
      )}
    </Dialog>
  );
}

/** The event as a sample: the envelope's keys in their usual order, the payload's as received. */
export function sampleText(e: EventRecord): string {
  return JSON.stringify({ id: e.id, name: e.name, source: e.source, time: e.time, payload: e.payload }, null, 2);
}
