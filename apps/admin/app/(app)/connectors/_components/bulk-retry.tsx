"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button, Dialog, Field, Input, useToast } from "@/components/ui";
import { api } from "@/lib/api";

/** The DLQ subset a bulk retry takes: created in [from, to), last error containing a text. */
export interface DlqSubset {
  from?: string;
  to?: string;
  errorContains?: string;
}

const iso = (local: string) => (local ? new Date(local).toISOString() : undefined);

/**
 * Above a DLQ-filtered deliveries list: narrow it by time and error text, see how many deliveries that is
 * (a dry run of retry-dlq, so the count is the engine's), and requeue exactly those.
 */
export function BulkRetry({
  connectorId,
  subset,
  onSubset,
  canRetry,
}: {
  connectorId: string;
  subset: DlqSubset;
  onSubset: (subset: DlqSubset) => void;
  canRetry: boolean;
}) {
  const qc = useQueryClient();
  const toast = useToast();
  const [draft, setDraft] = useState({ from: "", to: "", errorContains: "" });
  const [confirm, setConfirm] = useState(false);
  const count = useQuery({
    queryKey: ["dlq-count", connectorId, subset],
    queryFn: () => api.connectors.retryDlq(connectorId, { ...subset, dryRun: true }),
    enabled: canRetry,
    refetchInterval: 5_000,
  });
  const matched = count.data?.matched;
  const retry = useMutation({
    mutationFn: () => api.connectors.retryDlq(connectorId, subset),
    onSuccess: ({ requeued }) => {
      setConfirm(false);
      toast.success(
        `Requeued ${requeued} ${requeued === 1 ? "delivery" : "deliveries"}`,
        "Only the deliveries of this filter; they get a fresh round of attempts.",
      );
      qc.invalidateQueries({ queryKey: ["logs", connectorId] });
      qc.invalidateQueries({ queryKey: ["dlq-count", connectorId] });
      qc.invalidateQueries({ queryKey: ["connector-metrics", connectorId] });
    },
    onError: (e) => toast.error("Could not retry", e.message),
  });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    onSubset({
      from: iso(draft.from),
      to: iso(draft.to),
      errorContains: draft.errorContains.trim() || undefined,
    });
  };
  const what = `${matched ?? "…"} ${matched === 1 ? "delivery" : "deliveries"}`;
  return (
    <form
      onSubmit={apply}
      aria-label="Bulk retry"
      className="mb-3 flex flex-wrap items-end gap-2 rounded-lg border border-zinc-200 bg-zinc-50 px-3 py-2.5"
    >
      <Field label="Created from" htmlFor="dlq-from">
        <Input
          id="dlq-from"
          type="datetime-local"
          value={draft.from}
          onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))}
          className="w-52 text-xs"
        />
      </Field>
      <Field label="Created before" htmlFor="dlq-to">
        <Input
          id="dlq-to"
          type="datetime-local"
          value={draft.to}
          onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))}
          className="w-52 text-xs"
        />
      </Field>
      <Field label="Error contains" htmlFor="dlq-error">
        <Input
          id="dlq-error"
          placeholder="503, timeout, ECONNREFUSED…"
          value={draft.errorContains}
          onChange={(e) => setDraft((d) => ({ ...d, errorContains: e.target.value }))}
          className="w-52 text-xs"
        />
      </Field>
      <Button type="submit">Apply</Button>
      {canRetry ? (
        <Button
          variant="primary"
          className="ml-auto"
          disabled={!matched}
          loading={count.isPending}
          onClick={() => setConfirm(true)}
          data-testid="retry-these"
        >
          Retry these {matched ?? ""}
        </Button>
      ) : null}
      <Dialog
        open={confirm}
        onClose={() => setConfirm(false)}
        title={`Retry these ${what}?`}
        description="Only the DLQ deliveries of this filter go back to PENDING for a fresh round of attempts. Their attempt history is kept."
        footer={
          <>
            <Button onClick={() => setConfirm(false)}>Cancel</Button>
            <Button variant="primary" loading={retry.isPending} onClick={() => retry.mutate()}>
              Retry {what}
            </Button>
          </>
        }
      />
    </form>
  );
}
