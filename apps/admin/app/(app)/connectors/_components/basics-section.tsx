"use client";

import { matchesSourceEvent } from "@ib/core/event-match";
import { useQuery } from "@tanstack/react-query";
import { Card, Field, Input, Switch, Textarea } from "@/components/ui";
import { api } from "@/lib/api";
import { SectionTitle } from "./section-title";
import type { SectionProps } from "./use-connector-draft";

/** Name, source event, description and the enabled switch. */
export function BasicsSection({ draft, set, issueFor, readOnly }: SectionProps) {
  // The source event picks from the event catalog: defined types and names seen at ingest.
  const catalog = useQuery({ queryKey: ["event-types"], queryFn: api.catalog.list, retry: false });
  const known = catalog.data?.find((t) => t.name === draft.sourceEvent.trim());
  const hint = known
    ? known.defined
      ? `In the catalog: ${known.schemaFormat === "avro" ? "Avro" : "JSON Schema"} v${known.version}, validation ${known.validation}`
      : `Seen ${known.count} times at ingest; not in the catalog yet`
    : "An event name from the catalog, or a trailing wildcard like order.*";
  // A saved connector waiting for a name no event has had: most often a typo.
  const pattern = draft.sourceEvent.trim();
  const neverSeen =
    Boolean(draft.id) &&
    pattern !== "" &&
    catalog.isSuccess &&
    !catalog.data.some((t) => t.count > 0 && matchesSourceEvent(pattern, t.name));
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
        <Field label="Source event" htmlFor="c-source" hint={hint} error={issueFor("sourceEvent")}>
          <Input
            id="c-source"
            value={draft.sourceEvent}
            onChange={(e) => set("sourceEvent", e.target.value)}
            placeholder="order.created"
            className="font-mono"
            list="c-source-catalog"
            autoComplete="off"
          />
          {neverSeen ? (
            <p className="text-xs text-amber-700" role="status" data-testid="source-never-seen">
              No event {pattern.includes("*") ? "matching" : "named"} {pattern} has been received yet: check the
              spelling, or send one from Events.
            </p>
          ) : null}
          <datalist id="c-source-catalog">
            {(catalog.data ?? []).map((t) => (
              <option key={t.name} value={t.name}>
                {t.defined ? `${t.description ?? "in the catalog"}` : `observed, ${t.count} events`}
              </option>
            ))}
          </datalist>
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
