"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Button, Dialog, Field, Input, useToast } from "@/components/ui";
import { api } from "@/lib/api";
import type { Connector } from "@/lib/engine-types";

const hourAgo = () => toLocal(new Date(Date.now() - 3_600_000));
// The inputs have minute precision: a minute ahead so that events of the current minute are in (the engine
// cuts a `to` in the future to now).
const soon = () => toLocal(new Date(Date.now() + 60_000));
function toLocal(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/**
 * Replay stored events to this connector (a backfill or a recovery): pick a time range, see what a dry run
 * counts, then start it and follow its progress (the engine creates the deliveries in the background).
 */
export function ReplayDialog({
  connector,
  open,
  onClose,
}: {
  connector: Connector;
  open: boolean;
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const toast = useToast();
  const [from, setFrom] = useState(hourAgo);
  const [to, setTo] = useState(soon);
  const [onlyUndelivered, setOnlyUndelivered] = useState(true);
  const [replayId, setReplayId] = useState<string | null>(null);
  const body = {
    connectorId: connector.id,
    from: from ? new Date(from).toISOString() : undefined,
    to: to ? new Date(to).toISOString() : undefined,
    onlyUndelivered,
  };
  const plan = useMutation({ mutationFn: () => api.replays.create({ ...body, dryRun: true }) });
  const { reset } = plan;
  useEffect(() => {
    if (!open) return;
    setReplayId(null);
    setFrom(hourAgo());
    setTo(soon());
    reset();
  }, [open, reset]);
  const counted = plan.data && "dryRun" in plan.data ? plan.data : undefined;
  const start = useMutation({
    mutationFn: () => api.replays.create(body),
    onSuccess: (res) => {
      if ("dryRun" in res) return;
      if (!res.replayId) toast.success("Nothing to replay", "No stored event in that range is for this connector");
      else setReplayId(res.replayId);
      qc.invalidateQueries({ queryKey: ["logs", connector.id] });
    },
    onError: (e) => toast.error("Could not replay", e.message),
  });
  const progress = useQuery({
    queryKey: ["replay", replayId],
    queryFn: () => api.replays.get(replayId as string),
    enabled: Boolean(replayId),
    refetchInterval: (q) => (q.state.data?.state === "running" || (q.state.data?.pending ?? 0) > 0 ? 1_000 : false),
  });
  const count = (e: FormEvent) => {
    e.preventDefault();
    plan.mutate();
  };
  const r = progress.data;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Replay events"
      description={`Stored events that ${connector.sourceEvent} and this connector's filter take get a new delivery each.`}
    >
      {replayId ? (
        <div className="space-y-3 text-sm" data-testid="replay-progress">
          <p>
            Replay <code className="font-mono text-xs">{replayId}</code>: {r?.state ?? "starting"}
          </p>
          <dl className="grid grid-cols-5 gap-2 text-center">
            {(["planned", "created", "delivered", "failed", "pending"] as const).map((k) => (
              <div key={k} className="rounded-md bg-zinc-50 p-2 ring-1 ring-zinc-200">
                <dt className="text-xs text-zinc-500">{k}</dt>
                <dd className="text-base font-semibold tabular-nums">{r ? r[k] : "…"}</dd>
              </div>
            ))}
          </dl>
          <div className="flex justify-end">
            <Button onClick={onClose}>Close</Button>
          </div>
        </div>
      ) : (
        <form onSubmit={count} className="space-y-4">
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Received from" htmlFor="replay-from">
              <Input
                id="replay-from"
                type="datetime-local"
                value={from}
                onChange={(e) => {
                  setFrom(e.target.value);
                  plan.reset();
                }}
                required
              />
            </Field>
            <Field label="Received before" htmlFor="replay-to">
              <Input
                id="replay-to"
                type="datetime-local"
                value={to}
                onChange={(e) => {
                  setTo(e.target.value);
                  plan.reset();
                }}
                required
              />
            </Field>
          </div>
          <label className="flex items-center gap-2 text-sm text-zinc-700">
            <input
              type="checkbox"
              checked={onlyUndelivered}
              onChange={(e) => {
                setOnlyUndelivered(e.target.checked);
                plan.reset();
              }}
            />
            Only events this connector has no delivery for yet (a backfill)
          </label>
          {plan.isError ? (
            <p role="alert" className="text-sm text-red-600">
              {plan.error.message}
            </p>
          ) : counted ? (
            <p className="text-sm text-zinc-700" data-testid="replay-count">
              {counted.events} stored {counted.events === 1 ? "event" : "events"} in the range;{" "}
              <strong>{counted.deliveries}</strong> {counted.deliveries === 1 ? "delivery" : "deliveries"} would be
              created.
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={plan.isPending}>
              Count
            </Button>
            <Button
              variant="primary"
              disabled={!counted || counted.deliveries === 0}
              loading={start.isPending}
              onClick={() => start.mutate()}
            >
              Replay {counted ? counted.deliveries : ""}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
