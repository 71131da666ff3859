"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Button, Card, Field, Input, Select, Switch, Textarea } from "@/components/ui";
import { api } from "@/lib/api";
import type { Expect } from "@/lib/engine-types";
import type { Draft } from "./draft";
import { confirmationRoot, deliveryRoot, type ValuePath, valuePaths } from "./expect-paths";
import { SectionTitle } from "./section-title";
import type { IssueFor } from "./use-connector-draft";

const UNITS = [
  { id: "s", label: "seconds", ms: 1_000 },
  { id: "m", label: "minutes", ms: 60_000 },
  { id: "h", label: "hours", ms: 3_600_000 },
  { id: "d", label: "days", ms: 86_400_000 },
] as const;

const STARTER: Expect = {
  eventName: "",
  key: "$.response.body.id",
  eventKey: "$.payload.id",
  withinMs: 15 * 60_000,
};

/**
 * Reconciliation (DESIGN §14): after each successful delivery, expect the provider's confirmation event
 * whose `eventKey` equals the `key` read from the delivery. The key and the compared values are picked
 * from a sample answer and a sample confirmation (kept in the page only, never saved).
 */
export function ExpectSection({
  draft,
  onChange,
  issueFor,
  sampleEvent,
  readOnly,
}: {
  draft: Draft;
  onChange: (update: (d: Draft) => Draft) => void;
  issueFor: IssueFor;
  sampleEvent: () => unknown;
  readOnly: boolean;
}) {
  const expect = (draft.extra.expect as Expect | null | undefined) ?? null;
  const setExpect = (next: Expect | null) => onChange((d) => ({ ...d, extra: { ...d.extra, expect: next } }));
  const patch = (change: Partial<Expect>) => expect && setExpect({ ...expect, ...change });
  const [responseText, setResponseText] = useState('{\n  "id": "pay_123",\n  "amount": 4990\n}');
  const [confirmationText, setConfirmationText] = useState('{\n  "payload": { "id": "pay_123", "amount": 4990 }\n}');
  const catalog = useQuery({
    queryKey: ["event-type-names"],
    queryFn: () => api.reconciliation.eventNames(),
    enabled: expect !== null,
    staleTime: 30_000,
  });
  const fromDelivery = useMemo(
    () => valuePaths(deliveryRoot(sampleEvent(), responseText)),
    [sampleEvent, responseText],
  );
  const fromConfirmation = useMemo(() => valuePaths(confirmationRoot(confirmationText)), [confirmationText]);
  const unit = UNITS.findLast((u) => expect && expect.withinMs % u.ms === 0) ?? UNITS[0];

  return (
    <Card className="p-4" data-testid="expect-section">
      <SectionTitle
        title="Reconciliation"
        hint={
          <>
            After each successful delivery, wait for the provider&apos;s confirmation event. It closes as observed, a
            mismatch when a compared value differs, or missing when it does not come in time (an alert and{" "}
            <code>ib_expectations_missing_total</code>).
          </>
        }
      />
      <div className="flex items-center gap-2">
        <Switch
          id="expect-on"
          checked={expect !== null}
          onChange={(on) => setExpect(on ? { ...STARTER, eventName: "" } : null)}
          label="Expect a confirmation"
          disabled={readOnly}
        />
        <label htmlFor="expect-on" className="text-sm">
          Expect a confirmation
        </label>
      </div>
      {expect ? (
        <div className="mt-4 space-y-4">
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="Confirmation event"
              htmlFor="expect-event"
              error={issueFor("expect.eventName")}
              hint="Its exact name, e.g. what an inbound source maps the provider's webhook to."
            >
              <Input
                id="expect-event"
                list="expect-event-names"
                value={expect.eventName}
                onChange={(e) => patch({ eventName: e.target.value })}
                placeholder="payment.confirmed"
                className="font-mono text-xs"
              />
              <datalist id="expect-event-names">
                {(catalog.data ?? []).map((name) => (
                  <option key={name} value={name} />
                ))}
              </datalist>
            </Field>
            <Field
              label="Wait up to"
              htmlFor="expect-within"
              error={issueFor("expect.withinMs")}
              hint="1 second to 30 days."
            >
              <div className="flex gap-2">
                <Input
                  id="expect-within"
                  inputMode="numeric"
                  value={String(expect.withinMs / unit.ms)}
                  onChange={(e) => patch({ withinMs: Math.round(Number(e.target.value) * unit.ms) })}
                  className="w-24 tabular-nums"
                />
                <Select
                  aria-label="Unit"
                  value={unit.id}
                  onChange={(e) => {
                    const to = UNITS.find((u) => u.id === e.target.value) ?? unit;
                    patch({ withinMs: Math.round((expect.withinMs / unit.ms) * to.ms) });
                  }}
                >
                  {UNITS.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.label}
                    </option>
                  ))}
                </Select>
              </div>
            </Field>
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <PathField
              id="expect-key"
              label="Key, from the delivery"
              hint="Over {event, response}: usually the provider's id in its answer."
              value={expect.key}
              onChange={(key) => patch({ key })}
              paths={fromDelivery}
              error={issueFor("expect.key")}
            />
            <PathField
              id="expect-event-key"
              label="Key, in the confirmation"
              hint="Over the confirmation event: where it carries the same value."
              value={expect.eventKey}
              onChange={(eventKey) => patch({ eventKey })}
              paths={fromConfirmation}
              error={issueFor("expect.eventKey")}
            />
          </div>
          <ComparePairs
            pairs={expect.compare ?? []}
            onChange={(compare) => patch({ compare })}
            fromDelivery={fromDelivery}
            fromConfirmation={fromConfirmation}
            error={issueFor("expect.compare")}
          />
          <details className="rounded-md bg-zinc-50 p-3 ring-1 ring-zinc-200">
            <summary className="cursor-pointer text-sm font-medium">Samples for the pickers (not saved)</summary>
            <div className="mt-3 grid gap-3 sm:grid-cols-2">
              <Field label="A sample answer of the destination" htmlFor="expect-sample-response">
                <Textarea
                  id="expect-sample-response"
                  rows={6}
                  value={responseText}
                  onChange={(e) => setResponseText(e.target.value)}
                  className="font-mono text-xs"
                />
              </Field>
              <Field label="A sample confirmation event" htmlFor="expect-sample-confirmation">
                <Textarea
                  id="expect-sample-confirmation"
                  rows={6}
                  value={confirmationText}
                  onChange={(e) => setConfirmationText(e.target.value)}
                  className="font-mono text-xs"
                />
              </Field>
            </div>
          </details>
        </div>
      ) : null}
    </Card>
  );
}

function PathField({
  id,
  label,
  hint,
  value,
  onChange,
  paths,
  error,
}: {
  id: string;
  label: string;
  hint: string;
  value: string;
  onChange: (path: string) => void;
  paths: ValuePath[];
  error?: string;
}) {
  return (
    <Field label={label} htmlFor={id} hint={hint} error={error}>
      <Input id={id} value={value} onChange={(e) => onChange(e.target.value)} className="font-mono text-xs" />
      <PathPicker label={`Pick ${label.toLowerCase()} from the sample`} paths={paths} onPick={onChange} />
    </Field>
  );
}

function PathPicker({ label, paths, onPick }: { label: string; paths: ValuePath[]; onPick: (path: string) => void }) {
  const scalars = paths.filter((p) => p.scalar);
  return (
    <Select aria-label={label} value="" onChange={(e) => e.target.value && onPick(e.target.value)} className="text-xs">
      <option value="">Pick from the sample…</option>
      {scalars.map((p) => (
        <option key={p.path} value={p.path}>
          {p.path} = {p.preview}
        </option>
      ))}
    </Select>
  );
}

type Pair = NonNullable<Expect["compare"]>[number];

function ComparePairs({
  pairs,
  onChange,
  fromDelivery,
  fromConfirmation,
  error,
}: {
  pairs: Pair[];
  onChange: (pairs: Pair[]) => void;
  fromDelivery: ValuePath[];
  fromConfirmation: ValuePath[];
  error?: string;
}) {
  const set = (i: number, change: Partial<Pair>) => onChange(pairs.map((p, j) => (j === i ? { ...p, ...change } : p)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-[13px] font-medium text-zinc-700">Compare (a difference is a mismatch)</legend>
      {pairs.map((pair, i) => (
        <div
          key={i}
          className="grid gap-2 rounded-md p-2 ring-1 ring-zinc-200 sm:grid-cols-2"
          data-testid="compare-pair"
        >
          <div className="space-y-1">
            <Input
              aria-label={`Expected value ${i + 1}`}
              value={pair.expected}
              onChange={(e) => set(i, { expected: e.target.value })}
              className="font-mono text-xs"
            />
            <PathPicker
              label={`Pick expected value ${i + 1}`}
              paths={fromDelivery}
              onPick={(expected) => set(i, { expected })}
            />
          </div>
          <div className="space-y-1">
            <Input
              aria-label={`Observed value ${i + 1}`}
              value={pair.observed}
              onChange={(e) => set(i, { observed: e.target.value })}
              className="font-mono text-xs"
            />
            <PathPicker
              label={`Pick observed value ${i + 1}`}
              paths={fromConfirmation}
              onPick={(observed) => set(i, { observed })}
            />
          </div>
          <div className="flex items-center justify-between sm:col-span-2">
            <label className="flex items-center gap-1.5 text-xs text-zinc-600">
              <input
                type="checkbox"
                checked={pair.optional ?? false}
                onChange={(e) => set(i, { optional: e.target.checked || undefined })}
              />
              Only when the confirmation carries it
            </label>
            <Button size="sm" variant="ghost" onClick={() => onChange(pairs.filter((_, j) => j !== i))}>
              Remove
            </Button>
          </div>
        </div>
      ))}
      {error ? <p className="text-xs text-red-600">{error}</p> : null}
      <Button
        size="sm"
        onClick={() => onChange([...pairs, { expected: "$.event.payload.amount", observed: "$.payload.amount" }])}
      >
        Add a compared value
      </Button>
    </fieldset>
  );
}
