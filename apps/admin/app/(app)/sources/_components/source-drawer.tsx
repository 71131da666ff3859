"use client";

import { CopyButton } from "@/components/app/copy-button";
import { Drawer } from "@/components/ui";
import type { Source } from "@/lib/engine-types";
import { BrokerDetails } from "./broker-source";
import { RecentWebhooks } from "./recent-webhooks";
import { SigningSecrets } from "./signing-secrets";
import { SourceSettings } from "./source-settings";

/**
 * One source: for a webhook, the URL to give the provider and its signing secrets; for a broker source,
 * what it consumes and how its consumer is doing; for both, its settings (enabled, the events it becomes,
 * delete) and what it received (or refused) lately. Wide, so the table of received requests fits.
 */
export function SourceDrawer({
  source,
  base,
  onClose,
  canWrite,
}: {
  source: Source | null;
  base: string;
  onClose: () => void;
  canWrite: boolean;
}) {
  const url = source?.path ? base + source.path : "";
  return (
    <Drawer
      open={source !== null}
      onClose={onClose}
      title={source?.name ?? "Source"}
      description={source?.id}
      className="sm:max-w-4xl"
    >
      {source && !source.path ? (
        <div className="space-y-6">
          <BrokerDetails source={source} />
          <SourceSettings key={source.id} source={source} canWrite={canWrite} onDeleted={onClose} />
          <RecentWebhooks sourceId={source.id} title="Refused messages" status="REJECTED" />
        </div>
      ) : source ? (
        <div className="space-y-6">
          <div>
            <h3 className="mb-1.5 text-sm font-semibold">Webhook URL</h3>
            <p className="mb-2 text-xs text-zinc-500">Give this URL to the provider.</p>
            <div className="flex items-center gap-2 rounded-md bg-zinc-50 px-3 py-2 ring-1 ring-zinc-200">
              <code className="min-w-0 flex-1 font-mono text-xs break-all">{url}</code>
              <CopyButton value={url} />
            </div>
          </div>
          <SourceSettings key={source.id} source={source} canWrite={canWrite} onDeleted={onClose} />
          <SigningSecrets source={source} canWrite={canWrite} />
          <RecentWebhooks sourceId={source.id} />
        </div>
      ) : null}
    </Drawer>
  );
}
