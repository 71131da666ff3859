"use client";

import { matchesSourceEvent } from "@ib/core/event-match";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Button, Dialog, Field, Select, useToast } from "@/components/ui";
import { api } from "@/lib/api";
import type { EventRecord } from "@/lib/engine-types";

/**
 * Replay one stored event to one connector (`POST …/replays` with its id): the connectors whose source event
 * takes the name are offered; a dry run says first whether the connector's filter takes it.
 */
export function ReplayEventDialog({ event, onClose }: { event: EventRecord | null; onClose: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [connectorId, setConnectorId] = useState("");
  const connectors = useQuery({ queryKey: ["connectors"], queryFn: api.connectors.list, enabled: event !== null });
  const takers = (connectors.data ?? []).filter((c) => event && matchesSourceEvent(c.sourceEvent, event.name));
  useEffect(() => {
    if (event) setConnectorId("");
  }, [event]);
  const chosen = connectorId || takers[0]?.id || "";
  const plan = useQuery({
    queryKey: ["replay-plan", event?.id, chosen],
    enabled: Boolean(event && chosen),
    queryFn: () => api.replays.create({ connectorId: chosen, eventId: event!.id, dryRun: true }),
  });
  const planned = plan.data && "dryRun" in plan.data ? plan.data.deliveries : undefined;
  const replay = useMutation({
    mutationFn: () => api.replays.create({ connectorId: chosen, eventId: event!.id }),
    onSuccess: (res) => {
      if ("dryRun" in res || res.deliveries === 0) {
        toast.error("Nothing replayed", "The connector's filter does not take this event");
        return;
      }
      toast.success("Event replayed", `A new delivery was created by replay ${res.replayId}`);
      qc.invalidateQueries({ queryKey: ["event", event?.id] });
      qc.invalidateQueries({ queryKey: ["events"] });
      onClose();
    },
    onError: (e) => toast.error("Could not replay", e.message),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    replay.mutate();
  };
  return (
    <Dialog
      open={event !== null}
      onClose={onClose}
      title="Replay to a connector"
      description={
        <>
          A new delivery of <code className="font-mono text-xs">{event?.id}</code>, with its own delivery id.
        </>
      }
    >
      <form onSubmit={submit} className="space-y-4">
        {connectors.isSuccess && takers.length === 0 ? (
          <p className="text-sm text-zinc-600">No connector takes events named {event?.name}.</p>
        ) : (
          <Field
            label="Connector"
            htmlFor="replay-connector"
            hint={
              planned === undefined
                ? "Checking the connector's filter…"
                : planned === 0
                  ? "Its filter does not take this event: nothing would be sent."
                  : "Its filter takes this event: one delivery will be created."
            }
          >
            <Select id="replay-connector" value={chosen} onChange={(e) => setConnectorId(e.target.value)}>
              {takers.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.sourceEvent})
                </option>
              ))}
            </Select>
          </Field>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={replay.isPending} disabled={!chosen || planned === 0}>
            Replay event
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
