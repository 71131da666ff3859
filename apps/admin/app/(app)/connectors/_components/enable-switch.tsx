"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button, Dialog, Switch, useToast } from "@/components/ui";
import { api } from "@/lib/api";
import type { Connector, ConnectorMetrics } from "@/lib/engine-types";
import { inputFrom } from "./draft";

/** Deliveries a pause holds back: queued, waiting for a retry, or being sent right now. */
export function waitingDeliveries(counts: ConnectorMetrics["counts"]): number {
  return counts.PENDING + counts.RETRY_SCHEDULED + counts.PROCESSING;
}

/**
 * The list's enable switch. Pausing a connector with deliveries waiting asks first (they stay queued
 * until it is enabled again); every change can be undone from its toast.
 */
export function EnableSwitch({ connector: c, canWrite }: { connector: Connector; canWrite: boolean }) {
  const qc = useQueryClient();
  const toast = useToast();
  // null: not asking; a number (or "unknown" when the count could not be read): the confirmation is open.
  const [asking, setAsking] = useState<number | "unknown" | null>(null);
  const [checking, setChecking] = useState(false);
  const save = useMutation({
    mutationFn: ({ from, enabled }: { from: Connector; enabled: boolean; undo?: boolean }) =>
      api.connectors.save(inputFrom(from, { enabled })),
    onSuccess: (saved, { undo }) => {
      setAsking(null);
      qc.invalidateQueries({ queryKey: ["connectors"] });
      qc.invalidateQueries({ queryKey: ["connector", c.id] });
      const title = saved.enabled ? (undo ? "Connector enabled again" : "Connector enabled") : "Connector paused";
      if (undo) return toast.success(title, saved.name);
      toast.success(title, saved.name, {
        label: "Undo",
        // The saved connector carries the new version, so the undo is not refused as a stale write.
        onClick: () => save.mutate({ from: saved, enabled: !saved.enabled, undo: true }),
      });
    },
    onError: (e) => toast.error("Could not change the connector", e.message),
  });

  async function change(next: boolean) {
    if (next) return save.mutate({ from: c, enabled: true });
    setChecking(true);
    const waiting = await api.connectors
      .metrics(c.id)
      .then((m) => waitingDeliveries(m.counts))
      .catch(() => "unknown" as const);
    setChecking(false);
    if (waiting === 0) save.mutate({ from: c, enabled: false });
    else setAsking(waiting);
  }

  return (
    <>
      <Switch
        checked={c.enabled}
        onChange={change}
        disabled={!canWrite || save.isPending || checking}
        label={`${c.name} enabled`}
      />
      <Dialog
        open={asking !== null}
        onClose={() => setAsking(null)}
        title={`Pause “${c.name}”?`}
        description={
          asking === "unknown"
            ? "Deliveries may be waiting to be sent."
            : `${asking} ${asking === 1 ? "delivery is" : "deliveries are"} waiting to be sent.`
        }
        footer={
          <>
            <Button onClick={() => setAsking(null)}>Keep it running</Button>
            <Button variant="primary" loading={save.isPending} onClick={() => save.mutate({ from: c, enabled: false })}>
              Pause connector
            </Button>
          </>
        }
      >
        <p className="text-sm text-zinc-600">
          While it is paused, waiting deliveries stay queued without using up their attempts, and go out once you enable
          it again. Events that arrive in the meantime are not delivered to it.
        </p>
      </Dialog>
    </>
  );
}
