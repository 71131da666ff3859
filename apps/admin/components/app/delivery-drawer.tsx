"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { NamedId } from "@/components/app/named-id";
import { useCan } from "@/components/app/session";
import { StatusBadge } from "@/components/app/status";
import { Badge, Button, Drawer, ErrorState, Loading, useToast } from "@/components/ui";
import { api } from "@/lib/api";
import type { Attempt, DeliveryStatus } from "@/lib/engine-types";
import { dateTime, ms, pretty } from "@/lib/format";

/** Newest first: by start time, then by round and attempt number. */
function newestFirst(attempts: Attempt[]): Attempt[] {
  return [...attempts].sort(
    (a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || b.round - a.round || b.attempt - a.attempt,
  );
}

/**
 * An attempt's request and response as the engine stores them (its contract types them as records):
 * `{ method, url, headers, body }` and `{ status, headers, body, bodyTruncated }`.
 */
interface Exchange {
  method?: string;
  url?: string;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}
const exchange = (value: Attempt["request"]) => value as Exchange | null;

export const RETRYABLE = new Set<DeliveryStatus>(["FAILED", "DLQ"]);

/** One delivery with every attempt: the request sent (redacted), the response, the error, the timing. */
export function DeliveryDrawer({ deliveryId, onClose }: { deliveryId: string | null; onClose: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const canRetry = useCan("deliveries.retry");
  const delivery = useQuery({
    queryKey: ["delivery", deliveryId],
    queryFn: () => api.deliveries.get(deliveryId!),
    enabled: Boolean(deliveryId),
    refetchInterval: (q) =>
      q.state.data && ["SUCCESS", "FAILED", "DLQ"].includes(q.state.data.status) ? false : 2_000,
  });
  const retry = useMutation({
    mutationFn: () => api.deliveries.retry(deliveryId!),
    onSuccess: () => {
      toast.success("Delivery queued for retry");
      qc.invalidateQueries({ queryKey: ["delivery", deliveryId] });
      qc.invalidateQueries({ queryKey: ["logs"] });
      qc.invalidateQueries({ queryKey: ["connector-metrics"] });
    },
    onError: (e) => toast.error("Could not retry", e.message),
  });
  const d = delivery.data;
  const attempts = d ? newestFirst(d.attemptLog) : [];
  return (
    <Drawer
      open={deliveryId !== null}
      onClose={onClose}
      title={<span className="flex items-center gap-2">Delivery {d ? <StatusBadge status={d.status} /> : null}</span>}
      description={<span className="font-mono text-xs">{deliveryId}</span>}
      footer={
        d && canRetry && RETRYABLE.has(d.status) ? (
          <Button variant="primary" loading={retry.isPending} onClick={() => retry.mutate()}>
            Retry delivery
          </Button>
        ) : undefined
      }
    >
      {delivery.isPending ? (
        <Loading label="Loading delivery" />
      ) : delivery.isError || !d ? (
        <ErrorState error={delivery.error} onRetry={() => delivery.refetch()} />
      ) : (
        <div className="space-y-5">
          <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-3">
            <Meta label="Event" value={<NamedId name={d.event.name} id={d.eventId} />} />
            <Meta
              label="Connector"
              value={
                <NamedId
                  name={d.connectorName}
                  id={d.connectorId}
                  href={`/connectors/${d.connectorId}?tab=deliveries`}
                />
              }
            />
            <Meta label="Attempts" value={d.totalAttempts} />
            <Meta label="Created" value={dateTime(d.createdAt)} />
            <Meta label="Completed" value={dateTime(d.completedAt)} />
            <Meta label="Next attempt" value={d.status === "RETRY_SCHEDULED" ? dateTime(d.nextAttemptAt) : "—"} />
          </dl>
          {d.lastError ? (
            <div className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              <span className="font-medium">Last error:</span> {d.lastError}
            </div>
          ) : null}
          <div>
            <h3 className="mb-2 text-sm font-semibold text-zinc-900">Attempts</h3>
            {attempts.length === 0 ? (
              <p className="text-sm text-zinc-500">No attempt yet.</p>
            ) : (
              <ol className="space-y-3">
                {attempts.map((a, i) => (
                  <AttemptCard key={a.id} attempt={a} defaultOpen={i === 0} />
                ))}
              </ol>
            )}
          </div>
        </div>
      )}
    </Drawer>
  );
}

function Meta({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="mt-0.5 truncate text-zinc-800">{value}</dd>
    </div>
  );
}

function AttemptCard({ attempt: a, defaultOpen }: { attempt: Attempt; defaultOpen: boolean }) {
  const request = exchange(a.request);
  const response = exchange(a.response);
  const status = response?.status ?? a.statusCode ?? undefined;
  const ok = status !== undefined && status >= 200 && status < 300;
  return (
    <li className="rounded-lg ring-1 ring-zinc-200" data-testid="attempt">
      <details open={defaultOpen} className="group">
        <summary className="flex cursor-pointer list-none items-center gap-3 px-3 py-2.5 text-sm">
          <span className="font-medium text-zinc-900">
            Attempt {a.attempt}
            {a.round > 1 ? <span className="font-normal text-zinc-500"> · round {a.round}</span> : null}
          </span>
          {status !== undefined ? (
            <Badge tone={ok ? "green" : "red"}>HTTP {status}</Badge>
          ) : a.error ? (
            <Badge tone="red">error</Badge>
          ) : null}
          <span className="text-zinc-500 tabular-nums">{ms(a.durationMs)}</span>
          <span className="ml-auto text-xs text-zinc-400">{dateTime(a.startedAt)}</span>
          <span className="text-zinc-400 transition-transform group-open:rotate-90" aria-hidden>
            ›
          </span>
        </summary>
        <div className="space-y-3 border-t border-zinc-100 px-3 py-3">
          {a.error ? <p className="rounded-md bg-red-50 px-2.5 py-1.5 text-xs text-red-800">{a.error}</p> : null}
          {request ? (
            <Block title="Request">
              {`${request.method ?? ""} ${request.url ?? ""}\n`}
              {Object.entries(request.headers ?? {})
                .map(([k, v]) => `${k}: ${v}`)
                .join("\n")}
              {request.body !== undefined && request.body !== null ? `\n\n${pretty(request.body)}` : ""}
            </Block>
          ) : null}
          {response ? (
            <Block title="Response">
              {`HTTP ${response.status ?? ""}\n`}
              {Object.entries(response.headers ?? {})
                .map(([k, v]) => `${k}: ${v}`)
                .join("\n")}
              {response.body !== undefined && response.body !== null && response.body !== ""
                ? `\n\n${pretty(response.body)}`
                : ""}
            </Block>
          ) : null}
        </div>
      </details>
    </li>
  );
}

function Block({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div>
      <h4 className="mb-1 text-xs font-medium tracking-wide text-zinc-500 uppercase">{title}</h4>
      <pre className="max-h-72 overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-xs leading-relaxed whitespace-pre-wrap text-zinc-100">
        {children}
      </pre>
    </div>
  );
}
