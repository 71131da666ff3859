"use client";

import { useState } from "react";
import { CodeEditor } from "@/components/app/code-editor";
import { Badge, Button, Card, Spinner } from "@/components/ui";
import { pretty } from "@/lib/format";
import type { Draft } from "./draft";
import { RecentEventDialog } from "./recent-event-dialog";
import { useConnectorPreview } from "./use-connector-preview";

/** Headers the delivery worker adds to every request (DESIGN §10): shown, and marked as the engine's. */
const ENGINE_HEADERS = new Set([
  "idempotency-key",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
  "user-agent",
]);

/** The exact request the draft would send for the sample event, rendered by the engine (nothing is sent). */
export function PreviewPanel({
  draft,
  onSampleChange,
  readOnly,
  secretNames,
}: {
  draft: Draft;
  onSampleChange: (text: string) => void;
  readOnly: boolean;
  secretNames: string[];
}) {
  const { built, body, preview, stale } = useConnectorPreview(draft);
  const [picking, setPicking] = useState(false);
  const req = preview.data?.request;
  const warnings = preview.data?.warnings ?? [];
  const filter = preview.data?.filter;

  return (
    <div className="space-y-4">
      <Card className="p-4">
        <div className="mb-3 flex items-start justify-between gap-3">
          <div>
            <h2 className="text-sm font-semibold text-zinc-900">Sample event</h2>
            <p className="mt-0.5 text-xs text-zinc-500">
              The mapping sees <code className="font-mono">{"{ id, name, source, time, payload }"}</code>. Saved with
              the connector, keys in the order written.
            </p>
          </div>
          {!readOnly ? (
            <Button size="sm" onClick={() => setPicking(true)}>
              Use a recent event
            </Button>
          ) : null}
        </div>
        <CodeEditor
          path="connector-sample-event.json"
          value={draft.sampleText}
          onChange={onSampleChange}
          readOnly={readOnly}
          height={220}
          ariaLabel="Sample event (JSON)"
        />
        {built.errors.sample ? (
          <p className="mt-2 text-sm text-red-600">Not valid JSON yet: {built.errors.sample}</p>
        ) : null}
        <RecentEventDialog
          open={picking}
          sourceEvent={draft.sourceEvent}
          onClose={() => setPicking(false)}
          onPick={(text) => {
            onSampleChange(text);
            setPicking(false);
          }}
        />
      </Card>

      <Card className="overflow-hidden">
        <div className="flex items-center justify-between gap-2 border-b border-zinc-200 px-4 py-3">
          <div>
            <h2 className="text-sm font-semibold text-zinc-900">Request preview</h2>
            <p className="text-xs text-zinc-500">
              What the engine would send for this event. Secrets are masked; nothing is sent.
            </p>
          </div>
          {stale ? <Spinner className="size-4 text-zinc-400" label="Updating preview" /> : null}
        </div>
        <div className="p-4" data-testid="preview" aria-live="polite">
          {!body ? (
            <p className="text-sm text-zinc-500">
              {built.input && "url" in built.input.destination && !built.input.destination.url
                ? "Enter a destination URL to see the request."
                : "Fix the JSON errors to see the preview."}
            </p>
          ) : preview.isError ? (
            <div className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" role="alert">
              {preview.error.message.replace(/^Invalid json: (connector\.)?/, "")}
            </div>
          ) : !req ? (
            <div className="flex items-center gap-2 text-sm text-zinc-500">
              <Spinner /> Rendering…
            </div>
          ) : (
            <div className={stale ? "opacity-70 transition-opacity" : "transition-opacity"}>
              <div className="flex items-start gap-2">
                <Badge tone="accent">{req.method}</Badge>
                <code className="min-w-0 font-mono text-[13px] break-all text-zinc-800" data-testid="preview-url">
                  {req.url}
                </code>
              </div>
              {filter ? (
                <p
                  className={
                    filter.matched
                      ? "mt-3 rounded-md bg-green-50 px-2.5 py-1.5 text-xs text-green-800"
                      : "mt-3 rounded-md bg-amber-50 px-2.5 py-1.5 text-xs text-amber-800"
                  }
                  data-testid="preview-filter"
                >
                  {filter.matched
                    ? `The sample passes the filter (${filter.reason}).`
                    : `The sample does not pass the filter: ${filter.reason}. Nothing would be delivered for it.`}
                </p>
              ) : null}
              {warnings.length ? (
                <ul className="mt-3 space-y-1" data-testid="preview-warnings">
                  {warnings.map((text) => (
                    <li key={text} className="flex gap-2 rounded-md bg-amber-50 px-2.5 py-1.5 text-xs text-amber-800">
                      <span aria-hidden>⚠</span>
                      {text}
                    </li>
                  ))}
                </ul>
              ) : null}
              <h3 className="mt-4 mb-1.5 text-xs font-medium tracking-wide text-zinc-500 uppercase">Headers</h3>
              <dl
                className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 rounded-md bg-zinc-50 px-3 py-2 font-mono text-xs"
                data-testid="preview-headers"
              >
                {Object.entries(req.headers ?? {}).map(([k, v]) => (
                  <div key={k} className="contents">
                    <dt className="text-zinc-500">{k}</dt>
                    <dd className="break-all text-zinc-800">
                      {v}
                      {ENGINE_HEADERS.has(k.toLowerCase()) ? (
                        <span className="ml-2 font-sans text-[11px] text-zinc-400">added by the engine</span>
                      ) : null}
                    </dd>
                  </div>
                ))}
              </dl>
              <p className="mt-1 text-[11px] text-zinc-500">
                Each delivery has its own id and time: dlv_preview and the timestamp stand in for them here.
              </p>
              <h3 className="mt-4 mb-1.5 text-xs font-medium tracking-wide text-zinc-500 uppercase">Body</h3>
              <pre
                className="max-h-96 overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-xs leading-relaxed text-zinc-100"
                data-testid="preview-body"
              >
                {req.body === null || req.body === undefined ? "(no body)" : pretty(req.body)}
              </pre>
              {secretNames.length ? (
                <p className="mt-2 text-xs text-zinc-500">Secrets set: {secretNames.join(", ")}</p>
              ) : null}
            </div>
          )}
        </div>
      </Card>
    </div>
  );
}
