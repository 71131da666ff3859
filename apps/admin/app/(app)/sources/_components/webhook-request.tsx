"use client";

import { useQuery } from "@tanstack/react-query";
import { QueryView } from "@/components/app/query-view";
import { Button } from "@/components/ui";
import { api } from "@/lib/api";
import { dateTime, pretty } from "@/lib/format";

/**
 * One received webhook as it came: its headers and raw body. Reading it needs
 * integrations.webhooks.raw.read, and the engine records each read in the audit log.
 */
export function WebhookRequest({
  sourceId,
  webhookId,
  onClose,
}: {
  sourceId: string;
  webhookId: string;
  onClose: () => void;
}) {
  const raw = useQuery({
    queryKey: ["source-webhook", sourceId, webhookId],
    queryFn: () => api.sources.webhook(sourceId, webhookId),
    staleTime: 60_000,
  });
  return (
    <section
      className="mt-3 rounded-md bg-zinc-50 p-3 ring-1 ring-zinc-200 ring-inset"
      aria-label={`Received request ${webhookId}`}
      data-testid="webhook-request"
    >
      <div className="mb-2 flex items-start justify-between gap-3">
        <div>
          <h4 className="text-sm font-semibold">Received request</h4>
          <p className="font-mono text-xs text-zinc-500">{webhookId}</p>
        </div>
        <Button size="sm" variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
      <QueryView query={raw} loading="Loading the request">
        {(w) => (
          <div className="space-y-3">
            <p className="text-xs text-zinc-600">
              Received {dateTime(w.receivedAt)}
              {w.verificationError ? ` · refused: ${w.verificationError}` : ""}
              {w.lastError ? ` · ${w.lastError}` : ""}. This read is recorded in the audit log.
            </p>
            <div>
              <h5 className="mb-1 text-xs font-medium tracking-wide text-zinc-500 uppercase">Headers</h5>
              <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 rounded bg-white px-3 py-2 font-mono text-xs ring-1 ring-zinc-200">
                {Object.entries(w.headers).map(([k, v]) => (
                  <div key={k} className="contents">
                    <dt className="text-zinc-500">{k}</dt>
                    <dd className="break-all text-zinc-800">{v}</dd>
                  </div>
                ))}
              </dl>
            </div>
            <div>
              <h5 className="mb-1 text-xs font-medium tracking-wide text-zinc-500 uppercase">Body</h5>
              <pre className="max-h-96 overflow-auto rounded bg-zinc-950 p-3 font-mono text-xs leading-relaxed text-zinc-100">
                {w.rawBody === "" ? "(empty)" : pretty(w.rawBody)}
              </pre>
            </div>
          </div>
        )}
      </QueryView>
    </section>
  );
}
