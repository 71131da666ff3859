"use client";

import { Card, Field, Input, Switch, Textarea } from "@/components/ui";
import { SectionTitle } from "./section-title";
import type { SectionProps } from "./use-connector-draft";

/** Name, source event, description and the enabled switch. */
export function BasicsSection({ draft, set, issueFor, readOnly }: SectionProps) {
  return (
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
  );
}
