"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button, Dialog, Field, Input, Select, useToast } from "@/components/ui";
import { api } from "@/lib/api";
import type { Verifier } from "@/lib/engine-types";
import { VERIFIER_LABEL, VERIFIERS } from "./verifier-label";

/** Creates a source and, when given, stores its first signing secret. */
export function CreateSourceDialog({
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
  const [verifier, setVerifier] = useState<Verifier>("stripe");
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
          <Select id="source-verifier" value={verifier} onChange={(e) => setVerifier(e.target.value as Verifier)}>
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
