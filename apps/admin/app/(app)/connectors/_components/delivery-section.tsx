"use client";

import { Card, Field, Input } from "@/components/ui";
import { SectionTitle } from "./section-title";
import type { SectionProps } from "./use-connector-draft";

/** Timeout and retry policy. */
export function DeliverySection({ draft, set, issueFor }: Omit<SectionProps, "readOnly">) {
  return (
    <Card className="p-4">
      <SectionTitle title="Delivery" hint="Retries use exponential backoff with jitter: min(max, base × 2^(n−1))." />
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
