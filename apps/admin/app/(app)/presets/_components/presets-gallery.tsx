"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { QueryView } from "@/components/app/query-view";
import { useCan } from "@/components/app/session";
import { Badge, Button, cn, EmptyState, PageHeader } from "@/components/ui";
import { api } from "@/lib/api";
import type { Preset } from "@/lib/engine-types";
import { UsePresetDialog } from "./use-preset-dialog";

const TYPE_LABEL: Record<string, string> = {
  webhook: "Webhooks",
  payments: "Payments",
  messaging: "Messaging",
  maps: "Maps",
  storage: "Storage",
  broker: "Message brokers",
};

export function PresetsGallery() {
  const canWrite = useCan("connectors.write");
  const presets = useQuery({ queryKey: ["presets"], queryFn: api.presets.list });
  const [type, setType] = useState<string | null>(null);
  const [picked, setPicked] = useState<Preset | null>(null);
  const types = useMemo(() => [...new Set((presets.data ?? []).map((p) => p.providerType))], [presets.data]);
  const shown = (presets.data ?? []).filter((p) => !type || p.providerType === type);

  return (
    <>
      <PageHeader
        title="Presets"
        description="Ready-made connectors for common providers: pick one, give it its secrets, and it is ready to deliver."
      />
      <QueryView
        query={presets}
        loading="Loading presets"
        empty={<EmptyState title="No presets available" description="This engine does not offer presets yet." />}
      >
        {() => (
          <>
            <fieldset className="mb-4 flex flex-wrap gap-1.5">
              <legend className="sr-only">Filter by provider type</legend>
              {[null, ...types].map((t) => (
                <button
                  key={t ?? "all"}
                  type="button"
                  aria-pressed={type === t}
                  onClick={() => setType(t)}
                  className={cn(
                    "rounded-full px-2.5 py-1 text-xs font-medium ring-1 ring-inset",
                    type === t
                      ? "bg-zinc-900 text-white ring-zinc-900"
                      : "bg-white text-zinc-600 ring-zinc-300 hover:bg-zinc-50",
                  )}
                >
                  {t ? (TYPE_LABEL[t] ?? t) : "All"}
                </button>
              ))}
            </fieldset>
            <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
              {shown.map((p) => (
                <li
                  key={p.id}
                  className="flex flex-col rounded-lg bg-white p-4 ring-1 ring-zinc-200 transition-shadow hover:shadow-md"
                >
                  <div className="flex items-start justify-between gap-2">
                    <h2 className="font-semibold text-zinc-900">{p.name}</h2>
                    <Badge tone="accent">{TYPE_LABEL[p.providerType] ?? p.providerType}</Badge>
                  </div>
                  <p className="mt-1.5 flex-1 text-sm [overflow-wrap:anywhere] text-zinc-600">{p.description}</p>
                  <div className="mt-3 flex flex-wrap gap-1">
                    {(p.secrets ?? []).map((s) => (
                      <Badge key={s.name} title={s.description}>
                        {s.label}
                      </Badge>
                    ))}
                  </div>
                  <div className="mt-4 flex items-center justify-between gap-2">
                    {p.docsUrl ? (
                      <a
                        href={p.docsUrl}
                        target="_blank"
                        rel="noreferrer"
                        className="text-xs text-zinc-500 hover:text-accent-700"
                      >
                        API reference ↗
                      </a>
                    ) : (
                      <span />
                    )}
                    {canWrite ? (
                      <Button size="sm" variant="primary" onClick={() => setPicked(p)} aria-label={`Use ${p.name}`}>
                        Use preset
                      </Button>
                    ) : null}
                  </div>
                </li>
              ))}
            </ul>
          </>
        )}
      </QueryView>
      <UsePresetDialog preset={picked} onClose={() => setPicked(null)} />
    </>
  );
}
