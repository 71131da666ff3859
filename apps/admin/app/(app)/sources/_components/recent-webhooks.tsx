"use client";

import { useQuery } from "@tanstack/react-query";
import { QueryView } from "@/components/app/query-view";
import { Badge, Table, TBody, Td, THead, Th, Tr } from "@/components/ui";
import { api } from "@/lib/api";
import { dateTime, timeAgo } from "@/lib/format";

const WEBHOOK_TONE = { PROCESSED: "green", RECEIVED: "blue", FAILED: "red", REJECTED: "amber" } as const;

/**
 * The last webhooks a source received, with how their signature check went; for a broker source, the
 * messages it refused (`status` REJECTED) with the reason.
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
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold">{title}</h3>
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
                <Tr key={w.id}>
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
                  <Td className="max-w-[10rem] truncate font-mono text-xs">{w.providerEventId ?? "—"}</Td>
                  <Td className="max-w-[10rem] truncate font-mono text-xs">{w.eventId ?? "—"}</Td>
                  <Td className="whitespace-nowrap" title={dateTime(w.receivedAt)}>
                    {timeAgo(w.receivedAt)}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </QueryView>
    </div>
  );
}
