"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, type ReactNode, useMemo, useState } from "react";
import { CodeEditor } from "@/components/app/code-editor";
import { useCan } from "@/components/app/session";
import { Button, Card, Dialog, Field, Input, Select, Switch, Textarea, useToast } from "@/components/ui";
import { ApiError, api } from "@/lib/api";
import type { Connector } from "@/lib/types";
import {
  build,
  type Draft,
  draftFrom,
  draftFromJson,
  draftToJson,
  ENCODINGS,
  emptyDraft,
  METHODS,
  newRow,
  type Row,
} from "./draft";
import { MappingSection } from "./mapping-section";
import { PreviewPanel } from "./preview-panel";

interface Issue {
  path: string;
  message: string;
}

function issuesOf(error: unknown): Issue[] {
  if (!(error instanceof ApiError)) return [];
  const raw = (error.details as { issues?: Array<{ path?: unknown; message?: unknown }> } | undefined)?.issues ?? [];
  return raw.map((i) => ({
    path: Array.isArray(i.path) ? i.path.join(".") : String(i.path ?? ""),
    message: String(i.message ?? ""),
  }));
}

export function ConnectorEditor({ initial, schema }: { initial: Connector | null; schema: object }) {
  const router = useRouter();
  const qc = useQueryClient();
  const toast = useToast();
  const canWrite = useCan("connectors.write");
  const readOnly = !canWrite;
  const [baseline, setBaseline] = useState<Draft>(() => (initial ? draftFrom(initial) : emptyDraft()));
  const [draft, setDraft] = useState<Draft>(baseline);
  const [jsonMode, setJsonMode] = useState(false);
  const [jsonText, setJsonText] = useState("");
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<ApiError | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const built = useMemo(() => build(draft), [draft]);
  const dirty = useMemo(() => JSON.stringify(build(baseline).input) !== JSON.stringify(built.input), [baseline, built]);
  // Saved elsewhere on the page (the "Enable" of the disabled banner): without edits here, show that version;
  // with edits, keep them and let the save's 409 offer reload or overwrite.
  const [loadedVersion, setLoadedVersion] = useState(initial?.version);
  if (initial && initial.version !== loadedVersion) {
    setLoadedVersion(initial.version);
    if (!dirty) {
      const next = draftFrom(initial);
      setBaseline(next);
      setDraft(next);
      if (jsonMode) setJsonText(draftToJson(next));
    }
  }
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const secrets = useQuery({
    queryKey: ["connector-secrets", initial?.id],
    queryFn: () => api.connectors.secrets(initial!.id),
    enabled: Boolean(initial?.id),
    retry: false,
  });
  const secretNames = useMemo(() => (secrets.data ?? []).map((s) => s.name), [secrets.data]);

  const save = useMutation({
    mutationFn: async () => {
      let current = draft;
      if (jsonMode) {
        const parsed = draftFromJson(jsonText, draft);
        if ("error" in parsed) throw new ApiError(400, "VALIDATION_FAILED", parsed.error);
        current = parsed.draft;
        setDraft(current);
      }
      const { input, errors } = build(current);
      if (!input) throw new ApiError(400, "VALIDATION_FAILED", `The mapping is not valid JSON: ${errors.mapping}`);
      return api.connectors.save(input);
    },
    onSuccess: (saved) => {
      qc.setQueryData(["connector", saved.id], saved);
      qc.invalidateQueries({ queryKey: ["connectors"] });
      setConflict(null);
      if (!initial) {
        toast.success("Connector created", saved.name);
        router.replace(`/connectors/${saved.id}`);
        return;
      }
      toast.success("Saved", `${saved.name} · version ${saved.version}`);
      const next = draftFrom(saved);
      setBaseline(next);
      setDraft(next);
      if (jsonMode) setJsonText(draftToJson(next));
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409) {
        setConflict(error);
        return;
      }
      toast.error("Could not save", error.message);
    },
  });

  const remove = useMutation({
    mutationFn: () => api.connectors.remove(initial!.id),
    onSuccess: () => {
      toast.success("Connector deleted", initial?.name);
      qc.invalidateQueries({ queryKey: ["connectors"] });
      router.replace("/connectors");
    },
    onError: (e) => toast.error("Could not delete", e.message),
  });

  async function reloadLatest() {
    if (!initial) return;
    const latest = await api.connectors.get(initial.id);
    qc.setQueryData(["connector", latest.id], latest);
    const next = draftFrom(latest);
    setBaseline(next);
    setDraft(next);
    if (jsonMode) setJsonText(draftToJson(next));
    setConflict(null);
    toast.info("Reloaded", `Showing version ${latest.version}. Your unsaved changes were discarded.`);
  }

  async function overwrite() {
    if (!initial) return;
    const latest = await api.connectors.get(initial.id);
    setDraft((d) => ({ ...d, version: latest.version }));
    setConflict(null);
    toast.info("Ready to overwrite", `Save again to replace version ${latest.version} with your changes.`);
  }

  function toggleJson() {
    if (!jsonMode) {
      setJsonText(draftToJson(draft));
      setJsonError(null);
      setJsonMode(true);
      return;
    }
    const parsed = draftFromJson(jsonText, draft);
    if ("error" in parsed) {
      setJsonError(parsed.error);
      return;
    }
    setDraft(parsed.draft);
    setJsonError(null);
    setJsonMode(false);
  }

  const fieldIssues = issuesOf(save.error);
  const issueFor = (...paths: string[]) =>
    fieldIssues.find((i) => paths.some((p) => i.path === p || i.path.startsWith(`${p}.`)))?.message;

  // In JSON mode the preview follows the JSON text when it parses.
  const previewDraft = useMemo(() => {
    if (!jsonMode) return draft;
    const parsed = draftFromJson(jsonText, draft);
    return "draft" in parsed ? parsed.draft : draft;
  }, [jsonMode, jsonText, draft]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!readOnly) save.mutate();
  };

  return (
    <form onSubmit={onSubmit} aria-label="Connector" noValidate>
      {conflict ? (
        <div
          role="alert"
          className="mb-4 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900"
        >
          <p className="font-semibold">Someone else saved this connector while you were editing</p>
          <p className="mt-0.5 text-amber-800">
            Your copy is based on version {draft.version}; it has changed since. Reload to see the latest version (your
            edits are discarded), or overwrite it with your edits.
          </p>
          <div className="mt-3 flex gap-2">
            <Button size="sm" variant="primary" onClick={reloadLatest}>
              Reload latest
            </Button>
            <Button size="sm" onClick={overwrite}>
              Overwrite with mine
            </Button>
          </div>
        </div>
      ) : null}

      <div className="sticky top-0 z-20 -mx-4 mb-4 flex flex-wrap items-center justify-between gap-3 border-b border-zinc-200 bg-canvas/95 px-4 py-2.5 backdrop-blur sm:-mx-6 sm:px-6 lg:-mx-8 lg:px-8">
        <div className="flex items-center gap-2 text-sm">
          {readOnly ? (
            <span className="text-zinc-500">Read-only</span>
          ) : dirty ? (
            <span className="flex items-center gap-1.5 text-amber-700">
              <span className="size-1.5 rounded-full bg-amber-500" aria-hidden />
              Unsaved changes
            </span>
          ) : (
            <span className="text-zinc-500">{initial ? "All changes saved" : "Not saved yet"}</span>
          )}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Button variant="ghost" onClick={toggleJson} aria-pressed={jsonMode}>
            {jsonMode ? "Back to form" : readOnly ? "View as JSON" : "Edit as JSON"}
          </Button>
          {initial && !readOnly ? (
            <Button variant="ghost" className="text-red-600 hover:bg-red-50" onClick={() => setConfirmDelete(true)}>
              Delete
            </Button>
          ) : null}
          {!readOnly ? (
            <Button type="submit" variant="primary" loading={save.isPending} disabled={!dirty && Boolean(initial)}>
              {initial ? "Save changes" : "Create connector"}
            </Button>
          ) : null}
        </div>
      </div>

      {save.isError && !conflict && fieldIssues.length > 0 ? (
        <div role="alert" className="mb-4 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          <p className="font-medium">{save.error.message}</p>
          <ul className="mt-1 list-disc pl-5 text-red-700">
            {fieldIssues.map((i) => (
              <li key={`${i.path}:${i.message}`}>
                <code className="font-mono text-xs">{i.path || "(connector)"}</code> {i.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <div className="min-w-0 space-y-5">
          {jsonMode ? (
            <Card className="p-4">
              <SectionTitle
                title="Connector JSON"
                hint="The whole connector, validated against the same schema as the engine (hover a squiggle for details)."
              />
              <CodeEditor
                path="connector-whole.json"
                value={jsonText}
                onChange={(v) => {
                  setJsonText(v);
                  setJsonError(null);
                }}
                schema={schema}
                readOnly={readOnly}
                height={620}
                ariaLabel="Connector as JSON"
                assist={{ sampleEvent: () => built.sample, secrets: () => secretNames }}
              />
              {jsonError ? <p className="mt-2 text-sm text-red-600">{jsonError}</p> : null}
            </Card>
          ) : (
            <fieldset disabled={readOnly} className="min-w-0 space-y-5">
              <Card className="p-4">
                <SectionTitle title="Basics" />
                <div className="grid gap-4 sm:grid-cols-2">
                  <Field label="Name" htmlFor="c-name" error={issueFor("name")}>
                    <Input
                      id="c-name"
                      value={draft.name}
                      onChange={(e) => set("name", e.target.value)}
                      placeholder="Orders to ERP"
                      required
                    />
                  </Field>
                  <Field
                    label="Source event"
                    htmlFor="c-source"
                    hint="An event name, or a trailing wildcard like order.*"
                    error={issueFor("sourceEvent")}
                  >
                    <Input
                      id="c-source"
                      value={draft.sourceEvent}
                      onChange={(e) => set("sourceEvent", e.target.value)}
                      placeholder="order.created"
                      className="font-mono"
                    />
                  </Field>
                  <Field label="Description" htmlFor="c-description" className="sm:col-span-2">
                    <Textarea
                      id="c-description"
                      rows={2}
                      value={draft.description}
                      onChange={(e) => set("description", e.target.value)}
                      placeholder="What this connector does, for whoever reads it next"
                    />
                  </Field>
                  <div className="flex items-center gap-3 sm:col-span-2">
                    <Switch
                      id="c-enabled"
                      checked={draft.enabled}
                      onChange={(v) => set("enabled", v)}
                      label="Enabled"
                      disabled={readOnly}
                    />
                    <label htmlFor="c-enabled" className="text-sm text-zinc-700">
                      Enabled — deliver matching events
                    </label>
                  </div>
                </div>
              </Card>

              <Card className="p-4">
                <SectionTitle title="Destination" />
                <div className="space-y-4">
                  <div className="grid gap-3 sm:grid-cols-[8rem_minmax(0,1fr)]">
                    <Field label="Method" htmlFor="c-method">
                      <Select
                        id="c-method"
                        value={draft.method}
                        onChange={(e) => set("method", e.target.value as Draft["method"])}
                      >
                        {METHODS.map((m) => (
                          <option key={m}>{m}</option>
                        ))}
                      </Select>
                    </Field>
                    <Field
                      label="URL"
                      htmlFor="c-url"
                      hint={
                        <>
                          Placeholders allowed, e.g. <code>{"…/orders/<<event.payload.orderId>>"}</code>
                        </>
                      }
                      error={issueFor("destination.url")}
                    >
                      <Input
                        id="c-url"
                        value={draft.url}
                        onChange={(e) => set("url", e.target.value)}
                        placeholder="https://api.example.com/webhooks"
                        className="font-mono"
                        inputMode="url"
                      />
                    </Field>
                  </div>
                  <KeyValueRows
                    legend="Headers"
                    idPrefix="header"
                    rows={draft.headers}
                    onChange={(rows) => set("headers", rows)}
                    readOnly={readOnly}
                    keyPlaceholder="Authorization"
                    valuePlaceholder="Bearer <<secret.token>>"
                    error={issueFor("destination.headers")}
                  />
                  <KeyValueRows
                    legend="Query parameters"
                    idPrefix="query"
                    rows={draft.query}
                    onChange={(rows) => set("query", rows)}
                    readOnly={readOnly}
                    keyPlaceholder="tenant"
                    valuePlaceholder="acme"
                    error={issueFor("destination.query")}
                  />
                  <Field label="Body encoding" htmlFor="c-encoding" className="max-w-xs">
                    <Select
                      id="c-encoding"
                      value={draft.bodyEncoding}
                      onChange={(e) => set("bodyEncoding", e.target.value as Draft["bodyEncoding"])}
                    >
                      {ENCODINGS.map((e) => (
                        <option key={e.id} value={e.id}>
                          {e.label}
                        </option>
                      ))}
                    </Select>
                  </Field>
                </div>
              </Card>

              <MappingSection
                draft={draft}
                onChange={setDraft}
                readOnly={readOnly}
                error={built.errors.mapping ? `Not valid JSON yet: ${built.errors.mapping}` : issueFor("mapping")}
                sampleEvent={() => built.sample}
                secretNames={secretNames}
              />

              <Card className="p-4">
                <SectionTitle
                  title="Delivery"
                  hint="Retries use exponential backoff with jitter: min(max, base × 2^(n−1))."
                />
                <div className="grid gap-4 sm:grid-cols-2">
                  <NumberField
                    id="c-timeout"
                    label="Timeout (ms)"
                    value={draft.timeoutMs}
                    onChange={(v) => set("timeoutMs", v)}
                    error={issueFor("timeoutMs")}
                  />
                  <NumberField
                    id="c-retries"
                    label="Max attempts"
                    value={draft.retryMaxAttempts}
                    onChange={(v) => set("retryMaxAttempts", v)}
                    error={issueFor("retryMaxAttempts")}
                  />
                  <NumberField
                    id="c-backoff"
                    label="Backoff base (ms)"
                    value={draft.retryBackoffBaseMs}
                    onChange={(v) => set("retryBackoffBaseMs", v)}
                    error={issueFor("retryBackoffBaseMs")}
                  />
                  <NumberField
                    id="c-backoff-max"
                    label="Backoff max (ms)"
                    value={draft.retryBackoffMaxMs}
                    onChange={(v) => set("retryBackoffMaxMs", v)}
                    error={issueFor("retryBackoffMaxMs")}
                  />
                </div>
              </Card>
            </fieldset>
          )}
        </div>
        <div className="min-w-0">
          <div className="xl:sticky xl:top-16">
            <PreviewPanel
              draft={previewDraft}
              onSampleChange={(text) => set("sampleText", text)}
              readOnly={readOnly}
              secretNames={secretNames}
            />
          </div>
        </div>
      </div>

      <Dialog
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title="Delete connector?"
        description={`“${initial?.name}” stops receiving events. Its delivery history is kept.`}
        footer={
          <>
            <Button onClick={() => setConfirmDelete(false)}>Cancel</Button>
            <Button variant="danger" loading={remove.isPending} onClick={() => remove.mutate()}>
              Delete connector
            </Button>
          </>
        }
      />
    </form>
  );
}

function SectionTitle({ title, hint }: { title: string; hint?: ReactNode }) {
  return (
    <div className="mb-3">
      <h2 className="text-sm font-semibold text-zinc-900">{title}</h2>
      {hint ? (
        <p className="mt-0.5 text-xs leading-relaxed text-zinc-500 [&_code]:font-mono [&_code]:text-zinc-700">{hint}</p>
      ) : null}
    </div>
  );
}

function NumberField({
  id,
  label,
  value,
  onChange,
  error,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
}) {
  return (
    <Field label={label} htmlFor={id} error={error}>
      <Input
        id={id}
        inputMode="numeric"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="tabular-nums"
        aria-invalid={error ? true : undefined}
      />
    </Field>
  );
}

function KeyValueRows({
  legend,
  idPrefix,
  rows,
  onChange,
  keyPlaceholder,
  valuePlaceholder,
  error,
  readOnly,
}: {
  readOnly?: boolean;
  legend: string;
  idPrefix: string;
  rows: Row[];
  onChange: (rows: Row[]) => void;
  keyPlaceholder: string;
  valuePlaceholder: string;
  error?: string;
}) {
  const update = (rid: number, patch: Partial<Row>) =>
    onChange(rows.map((r) => (r.rid === rid ? { ...r, ...patch } : r)));
  return (
    <fieldset>
      <legend className="mb-1.5 text-[13px] font-medium text-zinc-700">{legend}</legend>
      <div className="space-y-2">
        {rows.map((r, i) => (
          <div key={r.rid} className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto] gap-2">
            <label htmlFor={`${idPrefix}-key-${r.rid}`} className="sr-only">
              {legend} {i + 1} name
            </label>
            <Input
              id={`${idPrefix}-key-${r.rid}`}
              value={r.key}
              placeholder={keyPlaceholder}
              onChange={(e) => update(r.rid, { key: e.target.value })}
              className="font-mono text-[13px]"
            />
            <label htmlFor={`${idPrefix}-value-${r.rid}`} className="sr-only">
              {legend} {i + 1} value
            </label>
            <Input
              id={`${idPrefix}-value-${r.rid}`}
              value={r.value}
              placeholder={valuePlaceholder}
              onChange={(e) => update(r.rid, { value: e.target.value })}
              className="font-mono text-[13px]"
            />
            <Button
              variant="ghost"
              hidden={readOnly}
              onClick={() => onChange(rows.filter((x) => x.rid !== r.rid))}
              aria-label={`Remove ${legend.toLowerCase()} ${r.key || i + 1}`}
              className="px-2 text-zinc-400 hover:text-zinc-700"
            >
              <svg viewBox="0 0 20 20" className="size-4" fill="currentColor" aria-hidden>
                <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
              </svg>
            </Button>
          </div>
        ))}
        {readOnly && rows.length === 0 ? <p className="text-sm text-zinc-400">None</p> : null}
        <Button
          size="sm"
          variant="ghost"
          hidden={readOnly}
          onClick={() => onChange([...rows, newRow()])}
          className="text-accent-700"
        >
          + Add {legend === "Headers" ? "header" : "parameter"}
        </Button>
        {error ? <p className="text-xs text-red-600">{error}</p> : null}
      </div>
    </fieldset>
  );
}
