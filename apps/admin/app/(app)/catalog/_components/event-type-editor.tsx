"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { CodeEditor } from "@/components/app/code-editor";
import { Button, Drawer, ErrorState, Field, Input, Loading, Select, useToast } from "@/components/ui";
import { ApiError, api } from "@/lib/api";
import type { EventTypeInput, SchemaIssue } from "@/lib/engine-types";
import { pretty } from "@/lib/format";

/** What the drawer edits: a new type, a defined one, or a name only observed (prefilled from its events). */
export type EditorTarget = { mode: "new" } | { mode: "edit"; name: string } | { mode: "observed"; name: string };

type Format = EventTypeInput["schemaFormat"];
type Mode = EventTypeInput["validation"];

interface Draft {
  name: string;
  description: string;
  schemaFormat: NonNullable<Format>;
  validation: NonNullable<Mode>;
  schema: string;
  sample: string;
  version?: number;
}

const STARTER: Record<NonNullable<Format>, string> = {
  "json-schema": pretty({
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    required: ["orderId"],
    properties: { orderId: { type: "string" }, total: { type: "number", minimum: 0 } },
  }),
  avro: pretty({
    type: "record",
    name: "OrderCreated",
    fields: [
      { name: "orderId", type: "string" },
      { name: "total", type: "double" },
    ],
  }),
};

const EMPTY: Draft = {
  name: "",
  description: "",
  schemaFormat: "json-schema",
  validation: "warn",
  schema: STARTER["json-schema"],
  sample: "",
};

export function EventTypeEditor({
  target,
  canWrite,
  onClose,
}: {
  target: EditorTarget | null;
  canWrite: boolean;
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const toast = useToast();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<{ message: string; issues: SchemaIssue[] } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const name = target && target.mode !== "new" ? target.name : null;
  const source = useQuery({
    queryKey: ["event-type-draft", target?.mode, name],
    enabled: Boolean(name),
    queryFn: async (): Promise<Draft> => {
      if (target?.mode === "edit") {
        const t = await api.catalog.get(target.name);
        return {
          name: t.name,
          description: t.description ?? "",
          schemaFormat: t.schemaFormat,
          validation: t.validation,
          schema: pretty(t.schema),
          sample: t.sample === null || t.sample === undefined ? "" : pretty(t.sample),
          version: t.version,
        };
      }
      const inferred = await api.catalog.inferred(name as string);
      return {
        ...EMPTY,
        name: inferred.name,
        schema: pretty(inferred.schema),
        sample: pretty(inferred.sample),
        description: `Inferred from ${inferred.samples} stored ${inferred.samples === 1 ? "event" : "events"}`,
      };
    },
  });

  useEffect(() => {
    setError(null);
    setConfirmDelete(false);
    if (target?.mode === "new") setDraft(EMPTY);
    else if (source.data) setDraft(source.data);
  }, [target, source.data]);

  const done = (message: string) => {
    toast.success(message);
    qc.invalidateQueries({ queryKey: ["event-types"] });
    qc.invalidateQueries({ queryKey: ["event-type-draft"] });
    onClose();
  };
  const fail = (e: Error) =>
    setError({
      message: e.message,
      issues: e instanceof ApiError && Array.isArray(e.details?.issues) ? (e.details.issues as SchemaIssue[]) : [],
    });
  const save = useMutation({
    mutationFn: () => api.catalog.save(toInput(draft)),
    onSuccess: (t) => done(`${t.name} saved (version ${t.version})`),
    onError: fail,
  });
  const remove = useMutation({
    mutationFn: () => api.catalog.remove(draft.name),
    onSuccess: () => done(`${draft.name} removed from the catalog`),
    onError: fail,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    save.mutate();
  };
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const title =
    target?.mode === "new" ? "New event type" : target?.mode === "observed" ? "Create from observed" : "Event type";

  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      title={title}
      description={name ? <code className="font-mono text-xs">{name}</code> : "An event name and its payload schema"}
    >
      {name && source.isPending ? (
        <Loading label="Loading" />
      ) : name && source.isError ? (
        <ErrorState error={source.error} onRetry={() => source.refetch()} />
      ) : (
        <form onSubmit={submit} className="space-y-4" aria-label="Event type">
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Event name" htmlFor="et-name" hint="The exact name, e.g. order.created">
              <Input
                id="et-name"
                value={draft.name}
                onChange={(e) => set("name", e.target.value)}
                readOnly={target?.mode !== "new"}
                required
                className="font-mono"
              />
            </Field>
            <Field label="Validation at ingest" htmlFor="et-validation" hint={VALIDATION_HINT[draft.validation]}>
              <Select
                id="et-validation"
                value={draft.validation}
                onChange={(e) => set("validation", e.target.value as Draft["validation"])}
                disabled={!canWrite}
              >
                <option value="off">Off</option>
                <option value="warn">Warn</option>
                <option value="enforce">Enforce</option>
              </Select>
            </Field>
          </div>
          <div className="grid gap-3 sm:grid-cols-[1fr_12rem]">
            <Field label="Description" htmlFor="et-description">
              <Input
                id="et-description"
                value={draft.description}
                onChange={(e) => set("description", e.target.value)}
              />
            </Field>
            <Field
              label="Schema format"
              htmlFor="et-format"
              hint={draft.schemaFormat === "avro" ? "An Avro record" : "Draft 2020-12"}
            >
              <Select
                id="et-format"
                value={draft.schemaFormat}
                onChange={(e) => {
                  const format = e.target.value as Draft["schemaFormat"];
                  // A starter schema in the new format, unless the author already wrote one of their own.
                  setDraft((d) => ({
                    ...d,
                    schemaFormat: format,
                    schema: d.schema === STARTER[d.schemaFormat] ? STARTER[format] : d.schema,
                  }));
                }}
                disabled={!canWrite}
              >
                <option value="json-schema">JSON Schema</option>
                <option value="avro">Avro</option>
              </Select>
            </Field>
          </div>
          <div>
            <p className="mb-1.5 text-[13px] font-medium text-zinc-700">Schema</p>
            <CodeEditor
              path={`event-type-schema-${target?.mode ?? "x"}.json`}
              value={draft.schema}
              onChange={(v) => set("schema", v)}
              height={280}
              readOnly={!canWrite}
              ariaLabel="Schema"
            />
          </div>
          <div>
            <p className="mb-1.5 text-[13px] font-medium text-zinc-700">Sample payload (optional; it must match)</p>
            <CodeEditor
              path={`event-type-sample-${target?.mode ?? "x"}.json`}
              value={draft.sample}
              onChange={(v) => set("sample", v)}
              height={150}
              readOnly={!canWrite}
              ariaLabel="Sample payload"
            />
          </div>
          {error ? (
            <div role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-700 ring-1 ring-red-600/20">
              <p>{error.message}</p>
              {error.issues.length > 0 ? (
                <ul className="mt-1 list-disc pl-5 font-mono text-xs">
                  {error.issues.map((i) => (
                    <li key={`${i.path}:${i.message}`}>
                      {i.path || "(root)"}: {i.message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
          {canWrite ? (
            <div className="flex items-center justify-between gap-2 border-t border-zinc-200 pt-4">
              {target?.mode === "edit" ? (
                <Button
                  variant={confirmDelete ? "danger" : "ghost"}
                  loading={remove.isPending}
                  onClick={() => (confirmDelete ? remove.mutate() : setConfirmDelete(true))}
                >
                  {confirmDelete ? "Really remove it" : "Remove from catalog"}
                </Button>
              ) : (
                <span />
              )}
              <div className="flex gap-2">
                <Button onClick={onClose}>Cancel</Button>
                <Button type="submit" variant="primary" loading={save.isPending} disabled={!draft.name.trim()}>
                  {target?.mode === "edit" ? "Save changes" : "Create event type"}
                </Button>
              </div>
            </div>
          ) : null}
        </form>
      )}
    </Drawer>
  );
}

const VALIDATION_HINT: Record<Draft["validation"], string> = {
  off: "Payloads are not checked",
  warn: "Stored even when they do not match; flagged, with warnings",
  enforce: "A payload that does not match is refused (400)",
};

function parse(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`The ${what} is not valid JSON: ${(e as Error).message}`);
  }
}

function toInput(d: Draft): EventTypeInput {
  return {
    name: d.name.trim(),
    description: d.description.trim() || null,
    schemaFormat: d.schemaFormat,
    validation: d.validation,
    schema: parse(d.schema, "schema"),
    ...(d.sample.trim() ? { sample: parse(d.sample, "sample") } : {}),
    ...(d.version !== undefined ? { version: d.version } : {}),
  };
}
