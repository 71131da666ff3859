"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { CopyButton } from "@/components/app/copy-button";
import { QueryView } from "@/components/app/query-view";
import { useMe } from "@/components/app/session";
import {
  Badge,
  Button,
  Dialog,
  EmptyState,
  Field,
  Input,
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
import type { Role, Token } from "@/lib/engine-types";
import { dateTime, timeAgo } from "@/lib/format";

const ROLES: Array<{ id: Role; hint: string }> = [
  { id: "admin", hint: "Everything, including tokens" },
  { id: "viewer", hint: "Read-only" },
  { id: "ingest", hint: "Only POST /v1/events" },
  { id: "support", hint: "Read-only, plus raw inbound payloads" },
  { id: "finance", hint: "Read-only, plus raw inbound payloads" },
];

export function TokensView() {
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const tokens = useQuery({ queryKey: ["tokens"], queryFn: api.tokens.list });
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<Token | null>(null);

  const revoke = useMutation({
    mutationFn: (id: string) => api.tokens.revoke(id),
    onSuccess: () => {
      toast.success("Token revoked", "It stops working at once.");
      setRevoking(null);
      qc.invalidateQueries({ queryKey: ["tokens"] });
    },
    onError: (e) => toast.error("Could not revoke the token", e.message),
  });

  const active = tokens.data?.filter((t) => !t.revokedAt) ?? [];
  const revoked = tokens.data?.filter((t) => t.revokedAt) ?? [];

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens authenticate the admin, services posting events (ingest) and automation. Only a hash is stored."
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            New token
          </Button>
        }
      />
      <QueryView
        query={tokens}
        loading="Loading tokens"
        isEmpty={() => active.length === 0 && revoked.length === 0}
        empty={<EmptyState title="No tokens yet" description="Create one for each service or person." />}
      >
        {() => (
          <Table>
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Role</Th>
                <Th>Prefix</Th>
                <Th>Created</Th>
                <Th>Last used</Th>
                <Th>Status</Th>
                <Th className="text-right">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </THead>
            <TBody>
              {[...active, ...revoked].map((t) => (
                <Tr key={t.id} className={t.revokedAt ? "opacity-60" : undefined}>
                  <Td className="font-medium text-zinc-900">
                    {t.name}
                    {t.id === me.tokenId ? <span className="ml-2 text-xs font-normal text-zinc-500">(you)</span> : null}
                  </Td>
                  <Td>
                    <Badge tone={t.role === "admin" ? "accent" : "neutral"}>{t.role}</Badge>
                  </Td>
                  <Td className="font-mono text-xs">{t.prefix}…</Td>
                  <Td title={dateTime(t.createdAt)}>{timeAgo(t.createdAt)}</Td>
                  <Td title={dateTime(t.lastUsedAt)}>{t.lastUsedAt ? timeAgo(t.lastUsedAt) : "never"}</Td>
                  <Td>
                    {t.revokedAt ? (
                      <Badge tone="red" dot>
                        revoked
                      </Badge>
                    ) : (
                      <Badge tone="green" dot>
                        active
                      </Badge>
                    )}
                  </Td>
                  <Td className="text-right">
                    {!t.revokedAt && t.id !== me.tokenId ? (
                      <Button size="sm" variant="ghost" onClick={() => setRevoking(t)} aria-label={`Revoke ${t.name}`}>
                        Revoke
                      </Button>
                    ) : null}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </QueryView>
      <CreateTokenDialog open={creating} onClose={() => setCreating(false)} />
      <Dialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title="Revoke token?"
        description={revoking ? `“${revoking.name}” stops working immediately. This cannot be undone.` : undefined}
        footer={
          <>
            <Button onClick={() => setRevoking(null)}>Cancel</Button>
            <Button variant="danger" loading={revoke.isPending} onClick={() => revoking && revoke.mutate(revoking.id)}>
              Revoke token
            </Button>
          </>
        }
      />
    </>
  );
}

function CreateTokenDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("ingest");
  const [created, setCreated] = useState<{ token: Token; value: string } | null>(null);
  const create = useMutation({
    mutationFn: () => api.tokens.create({ name, role }),
    onSuccess: (data) => {
      setCreated(data);
      qc.invalidateQueries({ queryKey: ["tokens"] });
    },
  });
  const close = () => {
    setCreated(null);
    setName("");
    setRole("ingest");
    create.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title={created ? "Token created" : "New API token"}
      description={created ? "Copy it now: it is shown this once and cannot be recovered." : undefined}
      footer={
        created ? (
          <Button variant="primary" onClick={close}>
            Done
          </Button>
        ) : (
          <>
            <Button onClick={close}>Cancel</Button>
            <Button
              variant="primary"
              type="submit"
              form="create-token"
              loading={create.isPending}
              disabled={!name.trim()}
            >
              Create token
            </Button>
          </>
        )
      }
    >
      {created ? (
        <div className="space-y-3">
          <div className="flex items-center gap-2 rounded-md bg-zinc-950 px-3 py-2.5">
            <code className="min-w-0 flex-1 font-mono text-sm break-all text-emerald-300" data-testid="new-token-value">
              {created.value}
            </code>
            <CopyButton value={created.value} dark />
          </div>
          <p className="text-sm text-zinc-600">
            <strong>{created.token.name}</strong> · role <strong>{created.token.role}</strong>
          </p>
        </div>
      ) : (
        <form id="create-token" onSubmit={submit} className="space-y-4">
          <Field label="Name" htmlFor="token-name" hint="Who or what uses it, e.g. “orders-service ingest”.">
            <Input
              id="token-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              maxLength={200}
              autoFocus
            />
          </Field>
          <Field label="Role" htmlFor="token-role" hint={ROLES.find((r) => r.id === role)?.hint}>
            <Select id="token-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.id}
                </option>
              ))}
            </Select>
          </Field>
          {create.isError ? <p className="text-sm text-red-600">{create.error.message}</p> : null}
        </form>
      )}
    </Dialog>
  );
}
