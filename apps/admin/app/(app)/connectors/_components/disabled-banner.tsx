"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCan } from "@/components/app/session";
import { Button, useToast } from "@/components/ui";
import { api } from "@/lib/api";
import type { Connector } from "@/lib/engine-types";
import { dateTime } from "@/lib/format";
import { inputFrom } from "./draft";

/** Whether the engine (not a person) switched the connector off, e.g. because its destination answered 410. */
export function disabledByEngine(c: Pick<Connector, "enabled" | "disabledReason">): boolean {
  return !c.enabled && Boolean(c.disabledReason);
}

/** "Disabled by the engine: <reason>, <time>" with a one-click Enable (the same connector, enabled). */
export function DisabledBanner({ connector: c }: { connector: Connector }) {
  const canWrite = useCan("connectors.write");
  const qc = useQueryClient();
  const toast = useToast();
  const enable = useMutation({
    mutationFn: () => api.connectors.save(inputFrom(c, { enabled: true })),
    onSuccess: (saved) => {
      qc.setQueryData(["connector", saved.id], saved);
      qc.invalidateQueries({ queryKey: ["connectors"] });
      toast.success("Connector enabled", `${saved.name} · version ${saved.version}`);
    },
    onError: (e) => {
      toast.error("Could not enable the connector", e.message);
      qc.invalidateQueries({ queryKey: ["connector", c.id] });
    },
  });
  if (!disabledByEngine(c)) return null;
  return (
    <div
      role="alert"
      className="mb-4 flex flex-wrap items-start justify-between gap-3 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900"
    >
      <div className="min-w-0 flex-1">
        <p className="font-semibold [overflow-wrap:anywhere]" data-testid="disabled-reason">
          Disabled by the engine: {c.disabledReason}
          {c.disabledAt ? `, ${dateTime(c.disabledAt)}` : ""}
        </p>
        <p className="mt-0.5 text-red-800">
          New events do not match it and its queued deliveries wait. Check the destination, then enable it again.
        </p>
      </div>
      {canWrite ? (
        <Button size="sm" variant="primary" loading={enable.isPending} onClick={() => enable.mutate()}>
          Enable
        </Button>
      ) : null}
    </div>
  );
}
