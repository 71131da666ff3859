"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { QueryView } from "@/components/app/query-view";
import { useCan } from "@/components/app/session";
import { Badge, Button, EmptyState, PageHeader, Table, TBody, Td, THead, Th, Tr } from "@/components/ui";
import { api } from "@/lib/api";
import type { EventTypeSummary } from "@/lib/engine-types";
import { dateTime, timeAgo } from "@/lib/format";
import { type EditorTarget, EventTypeEditor } from "./event-type-editor";
import { ValidationBadge } from "./validation-badge";

type Show = "all" | "defined" | "observed";

export function CatalogView() {
  const canWrite = useCan("catalog.write");
  const types = useQuery({ queryKey: ["event-types"], queryFn: api.catalog.list, refetchInterval: 10_000 });
  const [show, setShow] = useState<Show>("all");
  const [editing, setEditing] = useState<EditorTarget | null>(null);
  const list = useMemo(
    () => (types.data ?? []).filter((t) => show === "all" || (show === "defined" ? t.defined : !t.defined)),
    [types.data, show],
  );
  const observed = (types.data ?? []).filter((t) => !t.defined).length;
  const open = (t: EventTypeSummary) =>
    setEditing(t.defined ? { mode: "edit", name: t.name } : { mode: "observed", name: t.name });

  return (
    <>
      <PageHeader
        title="Event catalog"
        description="The events the engine receives and the schema each payload is checked against. Names seen at ingest without an entry are listed as observed."
        actions={
          <div className="flex items-center gap-2">
            <a
              href="/api/engine/asyncapi.json"
              target="_blank"
              rel="noreferrer"
              className="text-sm text-zinc-600 underline-offset-2 hover:underline"
            >
              AsyncAPI document
            </a>
            {canWrite ? (
              <Button variant="primary" onClick={() => setEditing({ mode: "new" })}>
                New event type
              </Button>
            ) : null}
          </div>
        }
      />
      <fieldset className="mb-3 flex items-center gap-1">
        <legend className="sr-only">Show</legend>
        {(
          [
            ["all", "All"],
            ["defined", "Defined"],
            ["observed", `Observed only${observed ? ` (${observed})` : ""}`],
          ] as const
        ).map(([value, label]) => (
          <Button
            key={value}
            size="sm"
            variant={show === value ? "primary" : "secondary"}
            aria-pressed={show === value}
            onClick={() => setShow(value)}
          >
            {label}
          </Button>
        ))}
      </fieldset>
      <QueryView
        query={types}
        loading="Loading the catalog"
        isEmpty={() => list.length === 0}
        empty={
          <EmptyState
            title={show === "observed" ? "Every name seen has an entry" : "No event types yet"}
            description="Define an event type with its JSON Schema or Avro schema, or send events first and create types from what was observed."
            actions={
              canWrite ? (
                <Button variant="primary" onClick={() => setEditing({ mode: "new" })}>
                  New event type
                </Button>
              ) : undefined
            }
          />
        }
      >
        {() => (
          <Table>
            <THead>
              <tr>
                <Th>Event name</Th>
                <Th>Schema</Th>
                <Th>Validation</Th>
                <Th className="text-right">Events stored</Th>
                <Th>Last seen</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </THead>
            <TBody>
              {list.map((t) => (
                <Tr
                  key={t.name}
                  interactive
                  tabIndex={0}
                  data-event-type={t.name}
                  onClick={() => open(t)}
                  onKeyDown={(k) => {
                    if (k.key === "Enter") open(t);
                  }}
                >
                  <Td>
                    <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs">{t.name}</code>
                    {t.description ? <p className="mt-1 text-xs text-zinc-500">{t.description}</p> : null}
                  </Td>
                  <Td>
                    {t.defined ? (
                      <span className="flex items-center gap-2">
                        <Badge tone="accent">{t.schemaFormat === "avro" ? "Avro" : "JSON Schema"}</Badge>
                        <span className="text-xs text-zinc-500">v{t.version}</span>
                      </span>
                    ) : (
                      <Badge tone="amber" dot>
                        Observed only
                      </Badge>
                    )}
                  </Td>
                  <Td>
                    {t.validation ? <ValidationBadge mode={t.validation} /> : <span className="text-zinc-400">—</span>}
                  </Td>
                  <Td className="text-right tabular-nums">{t.count.toLocaleString()}</Td>
                  <Td className="whitespace-nowrap" title={t.lastSeenAt ? dateTime(t.lastSeenAt) : undefined}>
                    {t.lastSeenAt ? timeAgo(t.lastSeenAt) : <span className="text-zinc-400">never</span>}
                  </Td>
                  <Td className="text-right">
                    {canWrite ? (
                      <Button
                        size="sm"
                        onClick={(e) => {
                          e.stopPropagation();
                          open(t);
                        }}
                      >
                        {t.defined ? "Edit" : "Create from observed"}
                      </Button>
                    ) : null}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </QueryView>
      <EventTypeEditor target={editing} canWrite={canWrite} onClose={() => setEditing(null)} />
    </>
  );
}
