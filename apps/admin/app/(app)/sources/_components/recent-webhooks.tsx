"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { QueryView } from "@/components/app/query-view";
import { useCan } from "@/components/app/session";
import { Badge, Table, TBody, Td, THead, Th, Tr } from "@/components/ui";
import { api } from "@/lib/api";
import { dateTime, timeAgo } from "@/lib/format";
import { WebhookRequest } from "./webhook-request";

const WEBHOOK_TONE = { PROCESSED: "green", RECEIVED: "blue", FAILED: "red", REJECTED: "amber" } as const;

/**
 * The last webhooks a source received, with how their signature check went; for a broker source, the
 * messages it refused (`status` REJECTED) with the reason. For roles that may read raw payloads a row opens
 * the request as received (headers and body; each read audited).
 */
export function RecentWebhooks({
  sourceId,
  title = "Recent webhooks",
  status,
}: {
  sourceId: string;
  title?: string;
  status?: "REJECTED";
}) {
  const webhooks = useQuery({
    queryKey: ["source-webhooks", sourceId, status ?? "all"],
    queryFn: async () => {
      const all = await api.sources.webhooks(sourceId);
      return status ? all.filter((w) => w.status === status) : all;
    },
    refetchInterval: 5_000,
  });
  const canReadRaw = useCan("integrations.webhooks.raw.read");
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <div>
      <h3 className="mb-1 text-sm font-semibold">{title}</h3>
      <p className="mb-2 text-xs text-zinc-500">
        {canReadRaw
          ? "Open one to see the request as received (each read is recorded in the audit log)."
          : "Your role cannot read received requests' headers and bodies."}
      </p>
      <QueryView
        query={webhooks}
        loading="Loading webhooks"
        empty={<p className="text-sm text-zinc-500">Nothing received yet.</p>}
      >
        {(data) => (
          <Table>
            <THead>
              <tr>
                <Th>Status</Th>
                <Th>Signature</Th>
                <Th>Provider event</Th>
                <Th>Event</Th>
                <Th>Received</Th>
              </tr>
            </THead>
            <TBody>
              {data.map((w) => (
                <Tr
                  key={w.id}
                  interactive={canReadRaw}
                  tabIndex={canReadRaw ? 0 : undefined}
                  title={canReadRaw ? "Open the request as received" : undefined}
                  data-testid="webhook-row"
                  onClick={canReadRaw ? () => setOpenId(w.id) : undefined}
                  onKeyDown={
                    canReadRaw
                      ? (e) => {
                          if (e.key === "Enter") setOpenId(w.id);
                        }
                      : undefined
                  }
                >
                  <Td>
                    <Badge tone={WEBHOOK_TONE[w.status] ?? "neutral"} dot>
                      {w.status.toLowerCase()}
                    </Badge>
                  </Td>
                  <Td title={w.verificationError ?? undefined}>
                    {w.verified ? (
                      <Badge tone="green">verified</Badge>
                    ) : (
                      <Badge tone="red">{w.verificationError ?? "refused"}</Badge>
                    )}
                  </Td>
                  <Td className="max-w-[14rem] font-mono text-xs break-all">{w.providerEventId ?? "—"}</Td>
                  <Td className="max-w-[14rem] font-mono text-xs break-all">{w.eventId ?? "—"}</Td>
                  <Td className="whitespace-nowrap" title={dateTime(w.receivedAt)}>
                    {timeAgo(w.receivedAt)}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </QueryView>
      {openId ? <WebhookRequest sourceId={sourceId} webhookId={openId} onClose={() => setOpenId(null)} /> : null}
    </div>
  );
}
