"use client";

import { generateSigningSecret } from "@ib/providers/signing-secret";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import { CopyButton } from "@/components/app/copy-button";
import { Button, Dialog, Field, Input, useToast } from "@/components/ui";
import { api } from "@/lib/api";
import type { Preset } from "@/lib/engine-types";
import { checkPresetForm, type FieldKey } from "./preset-form";

/** Fill in what a preset needs (labelled, with help, checked as you type) and create the connector in one call. */
export function UsePresetDialog({ preset, onClose }: { preset: Preset | null; onClose: () => void }) {
  const router = useRouter();
  const qc = useQueryClient();
  const toast = useToast();
  const reasonsId = useId();
  const [name, setName] = useState("");
  const [sourceEvent, setSourceEvent] = useState("");
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [parameters, setParameters] = useState<Record<string, string>>({});
  // Fields show their own error once left (or once Create was tried); the list under the form always does.
  const [touched, setTouched] = useState<Set<FieldKey>>(new Set());
  const [generated, setGenerated] = useState<Set<string>>(new Set());
  const [last, setLast] = useState<Preset | null>(null);
  if (preset !== last) {
    setLast(preset);
    setName(preset?.name ?? "");
    setSourceEvent(preset?.sourceEvent ?? preset?.sampleEvent?.name ?? "");
    setSecrets({});
    setParameters(Object.fromEntries((preset?.parameters ?? []).map((p) => [p.name, p.default ?? ""])));
    setTouched(new Set());
    setGenerated(new Set());
  }
  const check = preset
    ? checkPresetForm(preset, { name, sourceEvent, secrets, parameters })
    : { fields: {}, reasons: [] };
  const touch = (key: FieldKey) => setTouched((t) => (t.has(key) ? t : new Set(t).add(key)));
  const errorOf = (key: FieldKey) => (touched.has(key) ? check.fields[key] : undefined);

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
    if (check.reasons.length) return setTouched(new Set(Object.keys(check.fields)));
    create.mutate();
  };
  const blocked = check.reasons.length > 0;

  return (
    <Dialog
      open={preset !== null}
      onClose={onClose}
      title={preset ? `Use “${preset.name}”` : ""}
      description="Fill in what it needs; secrets are stored encrypted. Everything can be changed afterwards."
      footer={
        <div className="flex w-full flex-wrap items-center justify-end gap-2">
          {blocked ? (
            <p id={reasonsId} className="mr-auto text-xs text-zinc-500" data-testid="create-blocked-reason">
              {check.reasons.length === 1 ? check.reasons[0] : `${check.reasons.length} things to fill in first`}
            </p>
          ) : null}
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            form="preset-form"
            variant="primary"
            loading={create.isPending}
            disabled={blocked}
            aria-describedby={blocked ? reasonsId : undefined}
            title={blocked ? check.reasons.join("\n") : undefined}
          >
            Create connector
          </Button>
        </div>
      }
    >
      <form id="preset-form" onSubmit={submit} className="space-y-4" autoComplete="off" noValidate>
        <Field label="Connector name" htmlFor="preset-name" error={errorOf("name")}>
          <Input
            id="preset-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            onBlur={() => touch("name")}
            aria-invalid={Boolean(errorOf("name"))}
            autoFocus
          />
        </Field>
        <Field
          label="Source event"
          htmlFor="preset-source"
          hint="Which events it delivers: an event name (order.created), a name ending in .* for a family (order.*), or * for every event."
          error={errorOf("sourceEvent")}
        >
          <Input
            id="preset-source"
            value={sourceEvent}
            onChange={(e) => setSourceEvent(e.target.value)}
            onBlur={() => touch("sourceEvent")}
            aria-invalid={Boolean(errorOf("sourceEvent"))}
            className="font-mono"
          />
        </Field>
        {(preset?.parameters ?? []).map((p) => {
          const key = `param:${p.name}`;
          return (
            <Field
              key={p.name}
              label={p.default === undefined ? p.label : `${p.label} (optional)`}
              htmlFor={`preset-param-${p.name}`}
              hint={p.default === undefined ? p.description : `${p.description} Left empty: ${p.default}.`}
              error={errorOf(key)}
            >
              <Input
                id={`preset-param-${p.name}`}
                value={parameters[p.name] ?? ""}
                placeholder={p.example}
                onChange={(e) => setParameters({ ...parameters, [p.name]: e.target.value })}
                onBlur={() => touch(key)}
                aria-invalid={Boolean(errorOf(key))}
                className="font-mono"
              />
            </Field>
          );
        })}
        {(preset?.secrets ?? []).length ? (
          <div className="space-y-4 rounded-lg bg-zinc-50 p-3 ring-1 ring-zinc-200">
            <p className="text-xs font-medium text-zinc-600">Secrets: stored encrypted, never shown again</p>
            {(preset?.secrets ?? []).map((s) => {
              const key = `secret:${s.name}`;
              const shown = generated.has(s.name);
              return (
                <Field
                  key={s.name}
                  label={s.label}
                  htmlFor={`preset-secret-${s.name}`}
                  hint={
                    shown
                      ? "Generated here: copy it now and give the receiver the same value. After you create the connector it cannot be read back."
                      : s.description
                  }
                  error={errorOf(key)}
                >
                  <div className="flex gap-2">
                    <Input
                      id={`preset-secret-${s.name}`}
                      type={shown ? "text" : "password"}
                      autoComplete="new-password"
                      value={secrets[s.name] ?? ""}
                      onChange={(e) => {
                        setSecrets({ ...secrets, [s.name]: e.target.value });
                        if (shown) setGenerated((g) => new Set([...g].filter((n) => n !== s.name)));
                      }}
                      onBlur={() => touch(key)}
                      aria-invalid={Boolean(errorOf(key))}
                      className="min-w-0 flex-1 font-mono"
                    />
                    {s.format === "whsec" ? (
                      <Button
                        onClick={() => {
                          setSecrets({ ...secrets, [s.name]: generateSigningSecret() });
                          setGenerated((g) => new Set(g).add(s.name));
                          touch(key);
                        }}
                      >
                        Generate
                      </Button>
                    ) : null}
                    {shown ? <CopyButton value={secrets[s.name] ?? ""} /> : null}
                  </div>
                </Field>
              );
            })}
          </div>
        ) : null}
        {blocked && check.reasons.length > 1 ? (
          <ul className="list-inside list-disc space-y-0.5 text-xs text-zinc-500" aria-label="Still needed">
            {check.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
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
