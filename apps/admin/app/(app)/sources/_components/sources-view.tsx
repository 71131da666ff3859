"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { QueryView } from "@/components/app/query-view";
import { useCan } from "@/components/app/session";
import { Badge, Button, EmptyState, PageHeader, Table, TBody, Td, THead, Th, Tr } from "@/components/ui";
import { api } from "@/lib/api";
import { brokerEndpoint, KIND_LABEL, RuntimeBadge } from "./broker-source";
import { CreateSourceDialog } from "./create-source-dialog";
import { SourceDrawer } from "./source-drawer";
import { VERIFIER_LABEL } from "./verifier-label";

export function SourcesView({ engineUrl }: { engineUrl: string }) {
  const canWrite = useCan("sources.write");
  const sources = useQuery({ queryKey: ["sources"], queryFn: api.sources.list, refetchInterval: 10_000 });
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const base = engineUrl.replace(/\/$/, "");
  const selected = sources.data?.find((s) => s.id === open) ?? null;
  return (
    <>
      <PageHeader
        title="Inbound sources"
        description="Providers call the engine with signed webhooks, or the engine consumes a RabbitMQ queue or a NATS JetStream stream; each webhook or message becomes an internal event that connectors deliver."
        actions={
          canWrite ? (
            <Button variant="primary" onClick={() => setCreating(true)}>
              New source
            </Button>
          ) : null
        }
      />
      <QueryView
        query={sources}
        loading="Loading sources"
        empty={
          <EmptyState
            title="No inbound sources"
            description="Add one for each provider that sends you webhooks (Stripe, GitHub, Shopify, any Standard Webhooks sender or a generic HMAC)."
          />
        }
      >
        {(data) => (
          <Table>
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Kind</Th>
                <Th>Becomes event</Th>
                <Th>Webhook URL or broker</Th>
                <Th>Status</Th>
              </tr>
            </THead>
            <TBody>
              {data.map((s) => (
                <Tr
                  key={s.id}
                  interactive
                  tabIndex={0}
                  onClick={() => setOpen(s.id)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter") setOpen(s.id);
                  }}
                >
                  <Td className="font-medium text-zinc-900">{s.name}</Td>
                  <Td>
                    <Badge tone="accent">{s.verifier ? VERIFIER_LABEL[s.verifier] : KIND_LABEL[s.kind]}</Badge>
                  </Td>
                  <Td className="font-mono text-xs">
                    {s.eventName ?? "—"}
                    {s.eventMapping && Object.keys(s.eventMapping).length ? (
                      <span className="ml-1 text-zinc-500">+{Object.keys(s.eventMapping).length} mapped</span>
                    ) : null}
                  </Td>
                  <Td
                    className="max-w-[22rem] truncate font-mono text-xs text-zinc-600"
                    title={s.path ? base + s.path : brokerEndpoint(s)}
                  >
                    {s.path ? base + s.path : brokerEndpoint(s)}
                  </Td>
                  <Td>
                    {s.runtime && s.enabled ? (
                      <RuntimeBadge runtime={s.runtime} />
                    ) : s.enabled ? (
                      <Badge tone="green" dot>
                        enabled
                      </Badge>
                    ) : (
                      <Badge dot>paused</Badge>
                    )}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </QueryView>
      <CreateSourceDialog open={creating} onClose={() => setCreating(false)} onCreated={(id) => setOpen(id)} />
      <SourceDrawer source={selected} base={base} onClose={() => setOpen(null)} canWrite={canWrite} />
    </>
  );
}
