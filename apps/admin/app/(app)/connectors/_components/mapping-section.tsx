"use client";

import { type ReactNode, useMemo, useState } from "react";
import { CodeEditor } from "@/components/app/code-editor";
import { Card, cn } from "@/components/ui";
import { build, type Draft, type MappingMode, setMappingMode } from "./draft";
import { ModeSwitch } from "./mapper/mode-switch";
import { useVisualMapping } from "./mapper/use-visual-mapping";
import { VisualMapper } from "./mapper/visual-mapper";
import { useConnectorPreview } from "./use-connector-preview";

const CHOICES: Array<{ mode: MappingMode; title: string; hint: ReactNode }> = [
  {
    mode: "envelope",
    title: "Send the event envelope",
    hint: (
      <>
        The event as received: <code>{"{ id, name, source, time, payload }"}</code>. No mapping is stored.
      </>
    ),
  },
  {
    mode: "custom",
    title: "Custom mapping",
    hint: "Shape the body from the event: pick fields of the sample, or write JSON.",
  },
];

/** The event as the mapping sees it, from the sample (what preview fills in when the sample leaves it out). */
function envelopeOf(sample: unknown, sourceEvent: string, now: string): Record<string, unknown> {
  const s = (sample !== null && typeof sample === "object" ? sample : {}) as Record<string, unknown>;
  return {
    id: s.id ?? "evt_preview",
    name: s.name ?? sourceEvent,
    source: s.source ?? null,
    time: s.time ?? now,
    payload: s.payload ?? {},
  };
}

/**
 * The body a connector sends: the event envelope (mapping null) or a custom mapping, each its own choice.
 * A custom mapping is edited as a form (Visual) or as JSON, switchable at any time over the same text.
 */
export function MappingSection({
  draft,
  onChange,
  readOnly,
  error,
  sampleEvent,
  secretNames,
}: {
  draft: Draft;
  onChange: (update: (d: Draft) => Draft) => void;
  readOnly: boolean;
  error?: string;
  sampleEvent: () => unknown;
  secretNames: string[];
}) {
  const noBody = draft.method === "GET" || draft.method === "DELETE";
  const mapper = useVisualMapping(draft, onChange);
  const { fields, stale } = useConnectorPreview(draft);
  const [now] = useState(() => new Date().toISOString());
  const sample = useMemo(() => build(draft).sample, [draft]);
  const envelope = useMemo(() => envelopeOf(sample, draft.sourceEvent, now), [sample, draft.sourceEvent, now]);
  const custom = draft.mappingMode === "custom";
  return (
    <Card className="p-4">
      <div className="mb-3 flex items-start justify-between gap-3">
        <div>
          <h2 className="text-sm font-semibold text-zinc-900">Mapping</h2>
          <p className="mt-0.5 text-xs leading-relaxed text-zinc-500">
            The body of the request{noBody ? ` (a ${draft.method} request sends none)` : ""}.
          </p>
        </div>
        {custom ? <ModeSwitch mode={mapper.mode} onChange={mapper.setMode} /> : null}
      </div>
      <fieldset className="mb-3 grid gap-2 sm:grid-cols-2">
        <legend className="sr-only">Request body</legend>
        {CHOICES.map((c) => (
          <label
            key={c.mode}
            className={cn(
              "flex cursor-pointer gap-2.5 rounded-md p-3 ring-1 ring-inset",
              draft.mappingMode === c.mode ? "bg-accent-50 ring-accent-500" : "bg-white ring-zinc-300 hover:bg-zinc-50",
              readOnly && "cursor-default",
            )}
          >
            <input
              type="radio"
              name="mapping-mode"
              value={c.mode}
              checked={draft.mappingMode === c.mode}
              onChange={() => onChange((d) => setMappingMode(d, c.mode))}
              disabled={readOnly}
              className="mt-0.5 accent-accent-600"
            />
            <span>
              <span className="block text-sm font-medium text-zinc-900">{c.title}</span>
              <span className="mt-0.5 block text-xs text-zinc-500 [&_code]:font-mono [&_code]:text-zinc-700">
                {c.hint}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      {draft.mappingMode === "envelope" ? (
        <p className="rounded-md bg-zinc-50 px-3 py-2 text-xs leading-relaxed text-zinc-600 ring-1 ring-zinc-200 ring-inset">
          Saved as <code className="font-mono text-zinc-800">"mapping": null</code>. The request preview shows the exact
          body for the sample event.
        </p>
      ) : mapper.mode === "visual" ? (
        <>
          <VisualMapper
            rows={mapper.rows}
            problems={mapper.problems}
            setRows={mapper.setRows}
            envelope={envelope}
            results={fields}
            stale={stale}
            secretNames={secretNames}
            readOnly={readOnly}
          />
          {error ? (
            <p className="mt-2 text-sm text-red-600" role="alert">
              {error}
            </p>
          ) : null}
        </>
      ) : (
        <>
          {mapper.reason ? (
            <p
              className="mb-2 rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-800"
              role="note"
              data-testid="mapping-json-reason"
            >
              Shown as JSON: {mapper.reason}
            </p>
          ) : null}
          <p className="mb-2 text-xs leading-relaxed text-zinc-500 [&_code]:font-mono [&_code]:text-zinc-700">
            A string that is a JSONPath (<code>$.payload.orderId</code>) takes that value; inside other strings use{" "}
            <code>{"<<event.payload.x>>"}</code> and <code>{"<<secret.name>>"}</code>. Type <code>$.</code> or{" "}
            <code>{"<<event."}</code> for suggestions from the sample event.
          </p>
          <CodeEditor
            path="connector-mapping.json"
            value={draft.mappingText}
            onChange={(v) => onChange((d) => ({ ...d, mappingText: v }))}
            readOnly={readOnly}
            height={280}
            ariaLabel="Mapping (JSON)"
            assist={{ sampleEvent, secrets: () => secretNames }}
          />
          {error ? (
            <p className="mt-2 text-sm text-red-600" role="alert">
              {error}
            </p>
          ) : null}
          <p className="mt-2 text-xs text-zinc-500">
            Keyboard: Ctrl+Space suggests, Ctrl+M switches Tab between indenting and moving focus.
          </p>
        </>
      )}
    </Card>
  );
}
