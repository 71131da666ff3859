"use client";

import { Card, Field, Input, Select } from "@/components/ui";
import { type Draft, ENCODINGS, METHODS } from "./draft";
import { KeyValueRows } from "./key-value-rows";
import { SectionTitle } from "./section-title";
import type { SectionProps } from "./use-connector-draft";

/** Where the request goes: method, URL, headers, query parameters and how the body is encoded. */
export function DestinationSection({ draft, set, issueFor, readOnly }: SectionProps) {
  return (
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
  );
}
