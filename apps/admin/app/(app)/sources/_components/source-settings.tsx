"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button, Dialog, Input, Switch, useToast } from "@/components/ui";
import { api } from "@/lib/api";
import type { Source, SourceInput } from "@/lib/engine-types";

interface MappingRow {
  rid: number;
  from: string;
  to: string;
}

let rid = 0;
const rowsOf = (m: Record<string, string> | null) =>
  Object.entries(m ?? {}).map(([from, to]) => ({ rid: ++rid, from, to }));

/** The source as PUT …/sources takes it back (the settings it echoes, flat), with `patch` on top. */
export function sourceInput(s: Source, patch: Partial<SourceInput>): SourceInput {
  const common = {
    id: s.id,
    version: s.version,
    name: s.name,
    eventName: s.eventName,
    eventMapping: s.eventMapping,
    enabled: s.enabled,
  };
  const base =
    s.kind === "webhook"
      ? { ...common, kind: "webhook" as const, verifier: s.verifier!, config: s.config }
      : s.kind === "amqp"
        ? {
            ...common,
            kind: "amqp" as const,
            url: s.url!,
            queue: s.queue!,
            prefetch: s.prefetch,
            typeHeader: s.typeHeader,
          }
        : {
            ...common,
            kind: "nats" as const,
            servers: s.servers!,
            stream: s.stream!,
            consumer: s.consumer!,
            prefetch: s.prefetch,
            typeHeader: s.typeHeader,
          };
  return { ...base, ...patch } as SourceInput;
}

/**
 * A source's own settings in its drawer: enabled, the event it becomes and the provider type → event name
 * map (eventMapping), saved with the version read (a stale one is refused); and deleting it.
 */
export function SourceSettings({
  source,
  canWrite,
  onDeleted,
}: {
  source: Source;
  canWrite: boolean;
  onDeleted: () => void;
}) {
  const qc = useQueryClient();
  const toast = useToast();
  const [eventName, setEventName] = useState(source.eventName ?? "");
  const [rows, setRows] = useState<MappingRow[]>(() => rowsOf(source.eventMapping));
  const [confirmDelete, setConfirmDelete] = useState(false);
  // Another version loaded (saved here or elsewhere): show it.
  const [version, setVersion] = useState(source.version);
  if (source.version !== version) {
    setVersion(source.version);
    setEventName(source.eventName ?? "");
    setRows(rowsOf(source.eventMapping));
  }

  const save = useMutation({
    mutationFn: (patch: Partial<SourceInput>) => api.sources.save(sourceInput(source, patch)),
    onSuccess: (saved) => {
      qc.setQueryData<Source[]>(["sources"], (list) => list?.map((s) => (s.id === saved.id ? saved : s)));
      qc.invalidateQueries({ queryKey: ["sources"] });
      toast.success("Source saved", `${saved.name} · version ${saved.version}`);
    },
    onError: (e) => toast.error("Could not save the source", e.message),
  });
  const remove = useMutation({
    mutationFn: () => api.sources.remove(source.id),
    onSuccess: () => {
      toast.success("Source deleted", source.name);
      qc.invalidateQueries({ queryKey: ["sources"] });
      setConfirmDelete(false);
      onDeleted();
    },
    onError: (e) => toast.error("Could not delete the source", e.message),
  });

  const mapping = Object.fromEntries(rows.filter((r) => r.from.trim() !== "").map((r) => [r.from.trim(), r.to.trim()]));
  const changed =
    eventName.trim() !== (source.eventName ?? "") ||
    JSON.stringify(mapping) !== JSON.stringify(source.eventMapping ?? {});
  const what = source.kind === "webhook" ? "webhooks" : "messages";

  return (
    <section className="space-y-4" aria-label="Source settings">
      <div className="flex items-center gap-3">
        <Switch
          id={`src-enabled-${source.id}`}
          checked={source.enabled}
          disabled={!canWrite || save.isPending}
          onChange={(enabled) => save.mutate({ enabled })}
          label="Source enabled"
        />
        <label htmlFor={`src-enabled-${source.id}`} className="text-sm text-zinc-700">
          {source.enabled ? `Enabled — accepts ${what}` : `Disabled — ${what} are refused`}
        </label>
      </div>

      <fieldset disabled={!canWrite} className="space-y-2">
        <legend className="text-sm font-semibold">Becomes event</legend>
        <p className="text-xs text-zinc-500">
          Each provider event type (or routing key / subject) listed here becomes that internal event; keys may end in a
          wildcard (<code className="font-mono">charge.*</code>) or be <code className="font-mono">*</code>. Others
          become the default event, or are ignored when it is empty.
        </p>
        <label className="block text-[13px] font-medium text-zinc-700" htmlFor={`src-event-${source.id}`}>
          Default event
        </label>
        <Input
          id={`src-event-${source.id}`}
          value={eventName}
          placeholder="stripe.event"
          onChange={(e) => setEventName(e.target.value)}
          className="font-mono"
        />
        <ul className="space-y-2" aria-label="Event mapping">
          {rows.map((r, i) => (
            <li key={r.rid} className="grid grid-cols-[minmax(0,1fr)_auto_minmax(0,1fr)_auto] items-center gap-2">
              <Input
                aria-label={`Provider type ${i + 1}`}
                value={r.from}
                placeholder="payment_intent.succeeded"
                onChange={(e) => setRows(rows.map((x) => (x.rid === r.rid ? { ...x, from: e.target.value } : x)))}
                className="font-mono text-[13px]"
              />
              <span className="text-zinc-400" aria-hidden>
                →
              </span>
              <Input
                aria-label={`Event name ${i + 1}`}
                value={r.to}
                placeholder="payment.confirmed"
                onChange={(e) => setRows(rows.map((x) => (x.rid === r.rid ? { ...x, to: e.target.value } : x)))}
                className="font-mono text-[13px]"
              />
              <button
                type="button"
                aria-label={`Remove mapping ${i + 1}`}
                onClick={() => setRows(rows.filter((x) => x.rid !== r.rid))}
                className="size-8 rounded text-zinc-500 hover:bg-zinc-100"
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
        {canWrite ? (
          <div className="flex flex-wrap gap-2">
            <Button size="sm" onClick={() => setRows([...rows, { rid: ++rid, from: "", to: "" }])}>
              Add mapping
            </Button>
            <Button
              size="sm"
              variant="primary"
              disabled={!changed}
              loading={save.isPending}
              onClick={() =>
                save.mutate({
                  eventName: eventName.trim() || null,
                  eventMapping: Object.keys(mapping).length ? mapping : null,
                })
              }
            >
              Save event mapping
            </Button>
          </div>
        ) : null}
      </fieldset>

      {canWrite ? (
        <div>
          <Button
            size="sm"
            variant="ghost"
            className="text-red-600 hover:bg-red-50"
            onClick={() => setConfirmDelete(true)}
          >
            Delete source
          </Button>
          <Dialog
            open={confirmDelete}
            onClose={() => setConfirmDelete(false)}
            title="Delete source?"
            description={`“${source.name}” is removed with its secrets and the ${what} it received; ${
              source.kind === "webhook" ? "its URL answers 404 from then on" : "its consumer stops"
            }. Events it already created stay.`}
            footer={
              <>
                <Button onClick={() => setConfirmDelete(false)}>Cancel</Button>
                <Button variant="danger" loading={remove.isPending} onClick={() => remove.mutate()}>
                  Delete source
                </Button>
              </>
            }
          />
        </div>
      ) : null}
    </section>
  );
}
