"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useMemo, useState } from "react";
import { QueryView } from "@/components/app/query-view";
import { useCan } from "@/components/app/session";
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
import type { RegistryEntry } from "@/lib/engine-types";
import { timeAgo } from "@/lib/format";

export function RegistryView() {
  const canWrite = useCan("registry.write");
  const qc = useQueryClient();
  const toast = useToast();
  const entries = useQuery({ queryKey: ["registry"], queryFn: api.registry.list });
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<RegistryEntry | null>(null);
  const activate = useMutation({
    mutationFn: (e: RegistryEntry) =>
      api.registry.save({ country: e.country, providerType: e.providerType, connectorId: e.connectorId, active: true }),
    onSuccess: (e) => {
      toast.success(
        "Active provider switched",
        `${e.country} · ${e.providerType} → ${e.connectorName ?? e.connectorId}`,
      );
      qc.invalidateQueries({ queryKey: ["registry"] });
    },
    onError: (e) => toast.error("Could not switch", e.message),
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.registry.remove(id),
    onSuccess: () => {
      toast.success("Entry removed");
      setRemoving(null);
      qc.invalidateQueries({ queryKey: ["registry"] });
    },
    onError: (e) => toast.error("Could not remove", e.message),
  });
  const sorted = useMemo(
    () =>
      [...(entries.data ?? [])].sort(
        (a, b) =>
          a.country.localeCompare(b.country) ||
          a.providerType.localeCompare(b.providerType) ||
          Number(b.active) - Number(a.active),
      ),
    [entries.data],
  );
  return (
    <>
      <PageHeader
        title="Integration registry"
        description="Which connector serves each country and provider type. Events naming a country and provider type go only to the active one."
        actions={
          canWrite ? (
            <Button variant="primary" onClick={() => setAdding(true)}>
              Add entry
            </Button>
          ) : null
        }
      />
      <QueryView
        query={entries}
        loading="Loading registry"
        isEmpty={() => sorted.length === 0}
        empty={
          <EmptyState
            title="The registry is empty"
            description="Register connectors per country and provider type (e.g. BR · payments → Mercado Pago) to route events by their country and providerType."
          />
        }
      >
        {() => (
          <Table>
            <THead>
              <tr>
                <Th>Country</Th>
                <Th>Provider type</Th>
                <Th>Connector</Th>
                <Th>State</Th>
                <Th>Updated</Th>
                <Th className="text-right">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </THead>
            <TBody>
              {sorted.map((e) => (
                <Tr key={e.id}>
                  <Td className="font-mono font-semibold text-zinc-900">{e.country}</Td>
                  <Td>{e.providerType}</Td>
                  <Td>
                    <Link
                      href={`/connectors/${e.connectorId}`}
                      className="font-medium text-zinc-900 hover:text-accent-700"
                    >
                      {e.connectorName ?? e.connectorId}
                    </Link>
                    {e.connectorEnabled === false ? (
                      <span className="ml-2 text-xs text-amber-700">(connector paused)</span>
                    ) : null}
                  </Td>
                  <Td>
                    {e.active ? (
                      <Badge tone="green" dot>
                        active
                      </Badge>
                    ) : (
                      <Badge dot>standby</Badge>
                    )}
                  </Td>
                  <Td>{timeAgo(e.updatedAt)}</Td>
                  <Td className="text-right whitespace-nowrap">
                    {canWrite && !e.active ? (
                      <Button
                        size="sm"
                        onClick={() => activate.mutate(e)}
                        loading={activate.isPending && activate.variables?.id === e.id}
                      >
                        Make active
                      </Button>
                    ) : null}
                    {canWrite ? (
                      <Button
                        size="sm"
                        variant="ghost"
                        className="text-red-600 hover:bg-red-50"
                        onClick={() => setRemoving(e)}
                      >
                        Remove
                      </Button>
                    ) : null}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </QueryView>
      <AddEntryDialog open={adding} onClose={() => setAdding(false)} />
      <Dialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title="Remove this entry?"
        description={
          removing
            ? `${removing.country} · ${removing.providerType} → ${removing.connectorName ?? removing.connectorId}`
            : undefined
        }
        footer={
          <>
            <Button onClick={() => setRemoving(null)}>Cancel</Button>
            <Button variant="danger" loading={remove.isPending} onClick={() => removing && remove.mutate(removing.id)}>
              Remove
            </Button>
          </>
        }
      />
    </>
  );
}

function AddEntryDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const connectors = useQuery({ queryKey: ["connectors"], queryFn: api.connectors.list, enabled: open });
  const [country, setCountry] = useState("");
  const [providerType, setProviderType] = useState("payments");
  const [connectorId, setConnectorId] = useState("");
  const [active, setActive] = useState(true);
  const save = useMutation({
    mutationFn: () =>
      api.registry.save({
        country: country.trim().toUpperCase(),
        providerType: providerType.trim(),
        connectorId,
        active,
      }),
    onSuccess: () => {
      toast.success("Registry entry saved");
      qc.invalidateQueries({ queryKey: ["registry"] });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Add registry entry"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            form="registry-form"
            variant="primary"
            loading={save.isPending}
            disabled={!/^[A-Za-z]{2}$/.test(country.trim()) || !providerType.trim() || !connectorId}
          >
            Save entry
          </Button>
        </>
      }
    >
      <form id="registry-form" onSubmit={submit} className="space-y-4">
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Country (ISO code)" htmlFor="reg-country" hint="Two letters, e.g. BR">
            <Input
              id="reg-country"
              value={country}
              maxLength={2}
              onChange={(e) => setCountry(e.target.value)}
              className="font-mono uppercase"
            />
          </Field>
          <Field label="Provider type" htmlFor="reg-type" hint="payments, messaging, maps, storage…">
            <Input
              id="reg-type"
              value={providerType}
              onChange={(e) => setProviderType(e.target.value)}
              className="font-mono"
            />
          </Field>
        </div>
        <Field label="Connector" htmlFor="reg-connector">
          <Select id="reg-connector" value={connectorId} onChange={(e) => setConnectorId(e.target.value)}>
            <option value="">Choose a connector…</option>
            {(connectors.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
        </Field>
        <label className="flex items-center gap-2 text-sm text-zinc-700">
          <input
            type="checkbox"
            checked={active}
            onChange={(e) => setActive(e.target.checked)}
            className="size-4 accent-accent-600"
          />
          Make it the active provider for this pair
        </label>
        {save.isError ? (
          <p className="text-sm text-red-600" role="alert">
            {save.error.message}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}
