"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { DlqBadge } from "@/components/app/status";
import { Badge, buttonClass, EmptyState, ErrorState, Loading, Tabs } from "@/components/ui";
import { ApiError, api } from "@/lib/api";
import { ConnectorEditor } from "./connector-editor";
import { DeliveriesTab } from "./deliveries-tab";
import { DisabledBanner, disabledByEngine } from "./disabled-banner";
import { MetricsTab } from "./metrics-tab";
import { SecretsTab } from "./secrets-tab";

const TABS = ["configuration", "secrets", "deliveries", "metrics"] as const;
type Tab = (typeof TABS)[number];

export function ConnectorWorkspace({ id, schema }: { id?: string; schema: object }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const requested = params.get("tab") as Tab | null;
  const tab: Tab = id && requested && TABS.includes(requested) ? requested : "configuration";

  const connector = useQuery({
    queryKey: ["connector", id],
    queryFn: () => api.connectors.get(id!),
    enabled: Boolean(id),
  });
  const metrics = useQuery({
    queryKey: ["connector-metrics", id],
    queryFn: () => api.connectors.metrics(id!),
    enabled: Boolean(id),
    refetchInterval: 4_000,
    retry: false,
  });

  if (!id) {
    return (
      <>
        <Breadcrumb name="New connector" />
        <ConnectorEditor initial={null} schema={schema} />
      </>
    );
  }
  if (connector.isPending) return <Loading label="Loading connector" />;
  if (connector.isError) {
    if (connector.error instanceof ApiError && connector.error.status === 404) {
      return (
        <EmptyState
          title="Connector not found"
          description="It may have been deleted."
          actions={
            <Link href="/connectors" className={buttonClass("secondary")}>
              Back to connectors
            </Link>
          }
        />
      );
    }
    return <ErrorState error={connector.error} onRetry={() => connector.refetch()} />;
  }
  const c = connector.data;
  const dlq = metrics.data?.dlqOpen ?? 0;

  return (
    <>
      <Breadcrumb name={c.name} />
      <div className="mb-4 flex flex-wrap items-center gap-x-3 gap-y-2">
        <h1 className="text-xl font-semibold tracking-tight text-zinc-900">{c.name}</h1>
        {c.enabled ? (
          <Badge tone="green" dot>
            enabled
          </Badge>
        ) : disabledByEngine(c) ? (
          <Badge tone="red" dot>
            disabled by the engine
          </Badge>
        ) : (
          <Badge dot>paused</Badge>
        )}
        <DlqBadge count={dlq} />
        <span className="font-mono text-xs text-zinc-400">
          {c.id} · v{c.version}
        </span>
      </div>
      <DisabledBanner connector={c} />
      <div className="mb-6">
        <Tabs
          idPrefix="connector"
          value={tab}
          onChange={(next) => {
            const q = new URLSearchParams(params);
            if (next === "configuration") q.delete("tab");
            else q.set("tab", next);
            router.replace(`${pathname}${q.size ? `?${q}` : ""}`, { scroll: false });
          }}
          items={[
            { id: "configuration", label: "Configuration" },
            { id: "secrets", label: "Secrets" },
            {
              id: "deliveries",
              label: (
                <>
                  Deliveries
                  {dlq ? (
                    <span className="rounded-full bg-violet-100 px-1.5 text-[11px] font-semibold text-violet-700">
                      {dlq}
                    </span>
                  ) : null}
                </>
              ),
            },
            { id: "metrics", label: "Metrics" },
          ]}
        />
      </div>
      <div id="connector-panel" role="tabpanel" aria-labelledby={`connector-tab-${tab}`}>
        {tab === "configuration" ? (
          <ConnectorEditor key={`${c.id}`} initial={c} schema={schema} />
        ) : tab === "secrets" ? (
          <SecretsTab connector={c} />
        ) : tab === "deliveries" ? (
          <DeliveriesTab connector={c} dlqOpen={dlq} />
        ) : (
          <MetricsTab connectorId={c.id} />
        )}
      </div>
    </>
  );
}

function Breadcrumb({ name }: { name: string }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-2 text-xs text-zinc-500">
      <Link href="/connectors" className="hover:text-zinc-800">
        Connectors
      </Link>
      <span className="mx-1.5 text-zinc-300">/</span>
      <span className="text-zinc-700">{name}</span>
    </nav>
  );
}
