"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { CopyButton } from "@/components/app/copy-button";
import { useCan } from "@/components/app/session";
import {
  Badge,
  Button,
  Dialog,
  Drawer,
  EmptyState,
  ErrorState,
  Field,
  Input,
  Loading,
  PageHeader,
  Select,
  Table,
  TBody,
  Td,
  THead,
  Th,
  Tr,
  useToast,
} from "@/components/ui";
import { api } from "@/lib/api";
import { dateTime, timeAgo } from "@/lib/format";
import { type Source, VERIFIERS } from "@/lib/types";

const VERIFIER_LABEL: Record<string, string> = {
  stripe: "Stripe",
  github: "GitHub",
  "standard-webhooks": "Standard Webhooks",
  shopify: "Shopify",
  "generic-hmac": "Generic HMAC",
};

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
        description="Providers call the engine with signed webhooks; each verified one becomes an internal event that connectors deliver."
        actions={
          canWrite ? (
            <Button variant="primary" onClick={() => setCreating(true)}>
              New source
            </Button>
          ) : null
        }
      />
      {sources.isPending ? (
        <Loading label="Loading sources" />
      ) : sources.isError ? (
        <ErrorState error={sources.error} onRetry={() => sources.refetch()} />
      ) : sources.data.length === 0 ? (
        <EmptyState
          title="No inbound sources"
          description="Add one for each provider that sends you webhooks (Stripe, GitHub, Shopify, any Standard Webhooks sender or a generic HMAC)."
        />
      ) : (
        <Table>
          <THead>
            <tr>
              <Th>Name</Th>
              <Th>Verifier</Th>
              <Th>Becomes event</Th>
              <Th>Webhook URL</Th>
              <Th>Status</Th>
            </tr>
          </THead>
          <TBody>
            {sources.data.map((s) => (
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
                  <Badge tone="accent">{VERIFIER_LABEL[s.verifier] ?? s.verifier}</Badge>
                </Td>
                <Td className="font-mono text-xs">
                  {s.eventName ?? "—"}
                  {s.eventMapping && Object.keys(s.eventMapping).length ? (
                    <span className="ml-1 text-zinc-500">+{Object.keys(s.eventMapping).length} mapped</span>
                  ) : null}
                </Td>
                <Td className="max-w-[22rem] truncate font-mono text-xs text-zinc-600" title={base + s.path}>
                  {base + s.path}
                </Td>
                <Td>
                  {s.enabled ? (
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
      <CreateSourceDialog open={creating} onClose={() => setCreating(false)} onCreated={(id) => setOpen(id)} />
      <SourceDrawer source={selected} base={base} onClose={() => setOpen(null)} canWrite={canWrite} />
    </>
  );
}

function CreateSourceDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const qc = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState("");
  const [verifier, setVerifier] = useState<string>("stripe");
  const [eventName, setEventName] = useState("");
  const [header, setHeader] = useState("X-Signature");
  const [secret, setSecret] = useState("");
  const create = useMutation({
    mutationFn: async () => {
      const source = await api.sources.save({
        name: name.trim(),
        verifier,
        eventName: eventName.trim() || null,
        enabled: true,
        config: verifier === "generic-hmac" ? { header: header.trim() } : {},
      });
      if (secret) await api.sources.setSecret(source.id, { name: "signingSecret", value: secret });
      return source;
    },
    onSuccess: (source) => {
      toast.success("Source created", source.name);
      qc.invalidateQueries({ queryKey: ["sources"] });
      setName("");
      setEventName("");
      setSecret("");
      onClose();
      onCreated(source.id);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="New inbound source"
      description="The engine verifies every webhook's signature against the raw body before anything else."
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form="source-form" variant="primary" loading={create.isPending} disabled={!name.trim()}>
            Create source
          </Button>
        </>
      }
    >
      <form id="source-form" onSubmit={submit} className="space-y-4" autoComplete="off">
        <Field label="Name" htmlFor="source-name">
          <Input
            id="source-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Stripe payments"
            autoFocus
          />
        </Field>
        <Field label="Verifier" htmlFor="source-verifier">
          <Select id="source-verifier" value={verifier} onChange={(e) => setVerifier(e.target.value)}>
            {VERIFIERS.map((v) => (
              <option key={v} value={v}>
                {VERIFIER_LABEL[v]}
              </option>
            ))}
          </Select>
        </Field>
        {verifier === "generic-hmac" ? (
          <Field label="Signature header" htmlFor="source-header">
            <Input
              id="source-header"
              value={header}
              onChange={(e) => setHeader(e.target.value)}
              className="font-mono"
            />
          </Field>
        ) : null}
        <Field
          label="Internal event name"
          htmlFor="source-event"
          hint="Every verified webhook becomes this event, e.g. payment.confirmed"
        >
          <Input
            id="source-event"
            value={eventName}
            onChange={(e) => setEventName(e.target.value)}
            className="font-mono"
          />
        </Field>
        <Field
          label="Signing secret"
          htmlFor="source-secret"
          hint="From the provider's dashboard (e.g. whsec_…). Stored encrypted."
        >
          <Input
            id="source-secret"
            type="password"
            autoComplete="new-password"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            className="font-mono"
          />
        </Field>
        {create.isError ? (
          <p className="text-sm text-red-600" role="alert">
            {create.error.message}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}

const WEBHOOK_TONE = { PROCESSED: "green", RECEIVED: "blue", FAILED: "red", REJECTED: "amber" } as const;

function SourceDrawer({
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
  const qc = useQueryClient();
  const toast = useToast();
  const [value, setValue] = useState("");
  const [overlapHours, setOverlapHours] = useState("24");
  const webhooks = useQuery({
    queryKey: ["source-webhooks", source?.id],
    queryFn: () => api.sources.webhooks(source!.id),
    enabled: Boolean(source),
    refetchInterval: 5_000,
  });
  const rotate = useMutation({
    mutationFn: () =>
      api.sources.setSecret(source!.id, {
        name: "signingSecret",
        value,
        previousSecretTtlSeconds: Math.max(0, Math.round(Number(overlapHours || "0") * 3600)),
      }),
    onSuccess: (r) => {
      toast.success(
        "Signing secret rotated",
        r.previousSecretsExpireAt
          ? `The previous one stays valid until ${dateTime(r.previousSecretsExpireAt)}.`
          : undefined,
      );
      setValue("");
      qc.invalidateQueries({ queryKey: ["sources"] });
    },
    onError: (e) => toast.error("Could not rotate", e.message),
  });
  const url = source ? base + source.path : "";
  return (
    <Drawer open={source !== null} onClose={onClose} title={source?.name ?? "Source"} description={source?.id}>
      {source ? (
        <div className="space-y-6">
          <div>
            <h3 className="mb-1.5 text-sm font-semibold">Webhook URL</h3>
            <p className="mb-2 text-xs text-zinc-500">Give this URL to the provider.</p>
            <div className="flex items-center gap-2 rounded-md bg-zinc-50 px-3 py-2 ring-1 ring-zinc-200">
              <code className="min-w-0 flex-1 font-mono text-xs break-all">{url}</code>
              <CopyButton value={url} />
            </div>
          </div>
          <div>
            <h3 className="mb-2 text-sm font-semibold">Signing secrets</h3>
            {source.secrets.length === 0 ? (
              <p className="text-sm text-amber-700">
                No signing secret yet: every webhook is refused until one is set.
              </p>
            ) : (
              <ul className="space-y-1.5 text-sm">
                {source.secrets.map((s) => (
                  <li key={s.id} className="flex items-center gap-2">
                    <span className="font-mono text-xs">{s.id}</span>
                    {s.active ? <Badge tone="green">active</Badge> : <Badge>inactive</Badge>}
                    <span className="text-xs text-zinc-500">
                      set {timeAgo(s.createdAt)}
                      {s.expiresAt ? ` · expires ${timeAgo(s.expiresAt)}` : ""}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {canWrite ? (
              <form
                className="mt-3 grid gap-3 rounded-lg p-3 ring-1 ring-zinc-200 sm:grid-cols-[1fr_8rem_auto] sm:items-end"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (value) rotate.mutate();
                }}
                autoComplete="off"
              >
                <Field label="New signing secret" htmlFor="rotate-value">
                  <Input
                    id="rotate-value"
                    type="password"
                    autoComplete="new-password"
                    value={value}
                    onChange={(e) => setValue(e.target.value)}
                    className="font-mono"
                  />
                </Field>
                <Field label="Old one valid for (h)" htmlFor="rotate-overlap">
                  <Input
                    id="rotate-overlap"
                    inputMode="numeric"
                    value={overlapHours}
                    onChange={(e) => setOverlapHours(e.target.value)}
                  />
                </Field>
                <Button type="submit" variant="primary" loading={rotate.isPending} disabled={!value}>
                  {source.secrets.length ? "Rotate" : "Set secret"}
                </Button>
              </form>
            ) : null}
          </div>
          <div>
            <h3 className="mb-2 text-sm font-semibold">Recent webhooks</h3>
            {webhooks.isPending ? (
              <Loading label="Loading webhooks" />
            ) : webhooks.isError ? (
              <ErrorState error={webhooks.error} onRetry={() => webhooks.refetch()} />
            ) : webhooks.data.length === 0 ? (
              <p className="text-sm text-zinc-500">Nothing received yet.</p>
            ) : (
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
                  {webhooks.data.map((w) => (
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
          </div>
        </div>
      ) : null}
    </Drawer>
  );
}
