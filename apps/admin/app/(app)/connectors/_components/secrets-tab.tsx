"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { QueryView } from "@/components/app/query-view";
import { useCan } from "@/components/app/session";
import { Button, Dialog, EmptyState, Field, Input, Table, TBody, Td, THead, Th, Tr, useToast } from "@/components/ui";
import { api } from "@/lib/api";
import type { Connector, SecretInfo } from "@/lib/engine-types";
import { dateTime, timeAgo } from "@/lib/format";

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

export function SecretsTab({ connector }: { connector: Connector }) {
  const canWrite = useCan("secrets.write");
  const qc = useQueryClient();
  const toast = useToast();
  const secrets = useQuery({
    queryKey: ["connector-secrets", connector.id],
    queryFn: () => api.connectors.secrets(connector.id),
  });
  const [editing, setEditing] = useState<{ name: string; rotate: boolean } | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (name: string) => api.connectors.deleteSecret(connector.id, name),
    onSuccess: (_, name) => {
      toast.success("Secret deleted", name);
      setDeleting(null);
      qc.invalidateQueries({ queryKey: ["connector-secrets", connector.id] });
      qc.invalidateQueries({ queryKey: ["preview"] });
    },
    onError: (e) => toast.error("Could not delete the secret", e.message),
  });

  return (
    <div className="max-w-3xl">
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 className="text-sm font-semibold text-zinc-900">Secrets</h2>
          <p className="mt-0.5 text-sm text-zinc-500">
            Encrypted in the engine (AES-256-GCM). Use them as{" "}
            <code className="font-mono text-zinc-700">{"<<secret.name>>"}</code> in the URL, headers or mapping. Values
            are never shown again, not even to admins.
          </p>
        </div>
        {canWrite ? (
          <Button variant="primary" onClick={() => setEditing({ name: "", rotate: false })}>
            Add secret
          </Button>
        ) : null}
      </div>
      <QueryView
        query={secrets}
        loading="Loading secrets"
        empty={
          <EmptyState
            title="No secrets"
            description="Store API keys and tokens here instead of pasting them into the mapping."
            icon={<LockIcon />}
          />
        }
      >
        {(data) => (
          <Table>
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Value</Th>
                <Th>Last rotated</Th>
                <Th className="text-right">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </THead>
            <TBody>
              {data.map((s) => (
                <SecretRow
                  key={s.name}
                  secret={s}
                  canWrite={canWrite}
                  onRotate={() => setEditing({ name: s.name, rotate: true })}
                  onDelete={() => setDeleting(s.name)}
                />
              ))}
            </TBody>
          </Table>
        )}
      </QueryView>
      <SecretDialog connectorId={connector.id} state={editing} onClose={() => setEditing(null)} />
      <Dialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete secret “${deleting}”?`}
        description="Deliveries that use it will fail with a clear error until it is set again."
        footer={
          <>
            <Button onClick={() => setDeleting(null)}>Cancel</Button>
            <Button variant="danger" loading={remove.isPending} onClick={() => deleting && remove.mutate(deleting)}>
              Delete secret
            </Button>
          </>
        }
      />
    </div>
  );
}

function SecretRow({
  secret: s,
  canWrite,
  onRotate,
  onDelete,
}: {
  secret: SecretInfo;
  canWrite: boolean;
  onRotate: () => void;
  onDelete: () => void;
}) {
  const rotated = s.rotatedAt ?? s.createdAt;
  return (
    <Tr>
      <Td className="font-mono text-[13px] font-medium text-zinc-900">{s.name}</Td>
      <Td className="font-mono text-xs tracking-widest text-zinc-400" aria-label="hidden value">
        ••••••••
      </Td>
      <Td title={dateTime(rotated)}>{timeAgo(rotated)}</Td>
      <Td className="text-right whitespace-nowrap">
        {canWrite ? (
          <>
            <Button size="sm" variant="ghost" onClick={onRotate} aria-label={`Rotate ${s.name}`}>
              Rotate
            </Button>
            <Button
              size="sm"
              variant="ghost"
              className="text-red-600 hover:bg-red-50"
              onClick={onDelete}
              aria-label={`Delete ${s.name}`}
            >
              Delete
            </Button>
          </>
        ) : null}
      </Td>
    </Tr>
  );
}

function SecretDialog({
  connectorId,
  state,
  onClose,
}: {
  connectorId: string;
  state: { name: string; rotate: boolean } | null;
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const [lastState, setLastState] = useState(state);
  if (state !== lastState) {
    setLastState(state);
    setName(state?.name ?? "");
    setValue("");
  }
  const save = useMutation({
    mutationFn: () => api.connectors.setSecret(connectorId, { name: name.trim(), value }),
    onSuccess: () => {
      toast.success(state?.rotate ? "Secret rotated" : "Secret saved", name.trim());
      setValue("");
      qc.invalidateQueries({ queryKey: ["connector-secrets", connectorId] });
      qc.invalidateQueries({ queryKey: ["preview"] });
      onClose();
    },
  });
  const nameError =
    name && !NAME_RE.test(name.trim()) ? "Letters, digits, _ and -, starting with a letter or _" : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!nameError && name.trim() && value) save.mutate();
  };
  return (
    <Dialog
      open={state !== null}
      onClose={onClose}
      title={state?.rotate ? `Rotate “${state.name}”` : "Add secret"}
      description="The value is sent to the engine once, encrypted there, and never shown again."
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            form="secret-form"
            variant="primary"
            loading={save.isPending}
            disabled={!name.trim() || !value || Boolean(nameError)}
          >
            {state?.rotate ? "Rotate secret" : "Save secret"}
          </Button>
        </>
      }
    >
      <form id="secret-form" onSubmit={submit} className="space-y-4" autoComplete="off">
        <Field label="Name" htmlFor="secret-name" hint="Referenced as <<secret.name>>" error={nameError}>
          <Input
            id="secret-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            readOnly={state?.rotate}
            className="font-mono"
            placeholder="apiKey"
            autoFocus={!state?.rotate}
          />
        </Field>
        <Field label="Value" htmlFor="secret-value">
          <Input
            id="secret-value"
            type="password"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            autoComplete="new-password"
            className="font-mono"
            autoFocus={state?.rotate}
          />
        </Field>
        {save.isError ? <p className="text-sm text-red-600">{save.error.message}</p> : null}
      </form>
    </Dialog>
  );
}

function LockIcon() {
  return (
    <svg viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden>
      <path d="M7 11V8a5 5 0 0 1 10 0v3M6 11h12a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1v-8a1 1 0 0 1 1-1Z" />
    </svg>
  );
}
