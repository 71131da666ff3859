"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useMemo, useState } from "react";
import { QueryView } from "@/components/app/query-view";
import { useCan } from "@/components/app/session";
import { Badge, Button, cn, Dialog, EmptyState, Field, Input, PageHeader, useToast } from "@/components/ui";
import { api } from "@/lib/api";
import type { Preset } from "@/lib/engine-types";

const TYPE_LABEL: Record<string, string> = {
  webhook: "Webhooks",
  payments: "Payments",
  messaging: "Messaging",
  maps: "Maps",
  storage: "Storage",
};

export function PresetsGallery() {
  const canWrite = useCan("connectors.write");
  const presets = useQuery({ queryKey: ["presets"], queryFn: api.presets.list });
  const [type, setType] = useState<string | null>(null);
  const [picked, setPicked] = useState<Preset | null>(null);
  const types = useMemo(() => [...new Set((presets.data ?? []).map((p) => p.providerType))], [presets.data]);
  const shown = (presets.data ?? []).filter((p) => !type || p.providerType === type);

  return (
    <>
      <PageHeader
        title="Presets"
        description="Ready-made connectors for common providers: pick one, give it its secrets, and it is ready to deliver."
      />
      <QueryView
        query={presets}
        loading="Loading presets"
        empty={<EmptyState title="No presets available" description="This engine does not offer presets yet." />}
      >
        {() => (
          <>
            <fieldset className="mb-4 flex flex-wrap gap-1.5">
              <legend className="sr-only">Filter by provider type</legend>
              {[null, ...types].map((t) => (
                <button
                  key={t ?? "all"}
                  type="button"
                  aria-pressed={type === t}
                  onClick={() => setType(t)}
                  className={cn(
                    "rounded-full px-2.5 py-1 text-xs font-medium ring-1 ring-inset",
                    type === t
                      ? "bg-zinc-900 text-white ring-zinc-900"
                      : "bg-white text-zinc-600 ring-zinc-300 hover:bg-zinc-50",
                  )}
                >
                  {t ? (TYPE_LABEL[t] ?? t) : "All"}
                </button>
              ))}
            </fieldset>
            <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
              {shown.map((p) => (
                <li
                  key={p.id}
                  className="flex flex-col rounded-lg bg-white p-4 ring-1 ring-zinc-200 transition-shadow hover:shadow-md"
                >
                  <div className="flex items-start justify-between gap-2">
                    <h2 className="font-semibold text-zinc-900">{p.name}</h2>
                    <Badge tone="accent">{TYPE_LABEL[p.providerType] ?? p.providerType}</Badge>
                  </div>
                  <p className="mt-1.5 flex-1 text-sm [overflow-wrap:anywhere] text-zinc-600">{p.description}</p>
                  <div className="mt-3 flex flex-wrap gap-1">
                    {(p.secrets ?? []).map((s) => (
                      <Badge key={s.name} className="font-mono">
                        {s.name}
                      </Badge>
                    ))}
                  </div>
                  <div className="mt-4 flex items-center justify-between gap-2">
                    {p.docsUrl ? (
                      <a
                        href={p.docsUrl}
                        target="_blank"
                        rel="noreferrer"
                        className="text-xs text-zinc-500 hover:text-accent-700"
                      >
                        API reference ↗
                      </a>
                    ) : (
                      <span />
                    )}
                    {canWrite ? (
                      <Button size="sm" variant="primary" onClick={() => setPicked(p)} aria-label={`Use ${p.name}`}>
                        Use preset
                      </Button>
                    ) : null}
                  </div>
                </li>
              ))}
            </ul>
          </>
        )}
      </QueryView>
      <UsePresetDialog preset={picked} onClose={() => setPicked(null)} />
    </>
  );
}

function UsePresetDialog({ preset, onClose }: { preset: Preset | null; onClose: () => void }) {
  const router = useRouter();
  const qc = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState("");
  const [sourceEvent, setSourceEvent] = useState("");
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [parameters, setParameters] = useState<Record<string, string>>({});
  const [last, setLast] = useState<Preset | null>(null);
  if (preset !== last) {
    setLast(preset);
    setName(preset?.name ?? "");
    setSourceEvent(preset?.sourceEvent ?? preset?.sampleEvent?.name ?? "");
    setSecrets({});
    setParameters(Object.fromEntries((preset?.parameters ?? []).map((p) => [p.name, p.default ?? ""])));
  }
  const create = useMutation({
    mutationFn: () =>
      api.presets.createConnector(preset!.id, {
        name: name.trim(),
        secrets,
        parameters: Object.fromEntries(Object.entries(parameters).filter(([, v]) => v !== "")),
        overrides:
          sourceEvent.trim() && sourceEvent.trim() !== preset?.sourceEvent ? { sourceEvent: sourceEvent.trim() } : {},
      }),
    onSuccess: (saved) => {
      toast.success("Connector created from preset", saved.name);
      qc.invalidateQueries({ queryKey: ["connectors"] });
      onClose();
      router.push(`/connectors/${saved.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const missing =
    (preset?.secrets ?? []).some((s) => !secrets[s.name]) ||
    (preset?.parameters ?? []).some((p) => !parameters[p.name] && p.default === undefined);
  return (
    <Dialog
      open={preset !== null}
      onClose={onClose}
      title={preset ? `Use “${preset.name}”` : ""}
      description="Fill in what it needs; secrets are stored encrypted. Everything can be changed afterwards."
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            form="preset-form"
            variant="primary"
            loading={create.isPending}
            disabled={!name.trim() || !sourceEvent.trim() || missing}
          >
            Create connector
          </Button>
        </>
      }
    >
      <form id="preset-form" onSubmit={submit} className="space-y-4" autoComplete="off">
        <Field label="Connector name" htmlFor="preset-name">
          <Input id="preset-name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </Field>
        <Field
          label="Source event"
          htmlFor="preset-source"
          hint="Which events it delivers, e.g. order.created or order.*"
        >
          <Input
            id="preset-source"
            value={sourceEvent}
            onChange={(e) => setSourceEvent(e.target.value)}
            className="font-mono"
          />
        </Field>
        {(preset?.parameters ?? []).map((p) => (
          <Field key={p.name} label={p.name} htmlFor={`preset-param-${p.name}`} hint={p.description}>
            <Input
              id={`preset-param-${p.name}`}
              value={parameters[p.name] ?? ""}
              placeholder={p.example}
              onChange={(e) => setParameters({ ...parameters, [p.name]: e.target.value })}
              className="font-mono"
            />
          </Field>
        ))}
        {(preset?.secrets ?? []).length ? (
          <div className="space-y-4 rounded-lg bg-zinc-50 p-3 ring-1 ring-zinc-200">
            <p className="text-xs font-medium text-zinc-600">Secrets (write-only)</p>
            {(preset?.secrets ?? []).map((s) => (
              <Field key={s.name} label={s.name} htmlFor={`preset-secret-${s.name}`} hint={s.description}>
                <Input
                  id={`preset-secret-${s.name}`}
                  type="password"
                  autoComplete="new-password"
                  value={secrets[s.name] ?? ""}
                  onChange={(e) => setSecrets({ ...secrets, [s.name]: e.target.value })}
                  className="font-mono"
                />
              </Field>
            ))}
          </div>
        ) : null}
        {create.isError ? (
          <p className="text-sm text-red-600" role="alert">
            {create.error.message}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}
