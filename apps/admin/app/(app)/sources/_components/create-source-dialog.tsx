"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button, Dialog, Field, Input, Select, useToast } from "@/components/ui";
import { api } from "@/lib/api";
import type { Verifier } from "@/lib/engine-types";
import { KIND_LABEL, type SourceKind } from "./broker-source";
import { VERIFIER_LABEL, VERIFIERS } from "./verifier-label";

const KINDS = Object.keys(KIND_LABEL) as SourceKind[];

/**
 * Creates a source — a webhook endpoint, a RabbitMQ queue or a NATS JetStream stream to consume — and, when
 * given, stores its first secret (the signing secret, or the broker password the URL refers to).
 */
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
  const [kind, setKind] = useState<SourceKind>("webhook");
  const [brokerUrl, setBrokerUrl] = useState("");
  const [queue, setQueue] = useState("");
  const [stream, setStream] = useState("");
  const [consumer, setConsumer] = useState("integration-builder");
  const broker = kind !== "webhook";
  const create = useMutation({
    mutationFn: async () => {
      const common = { name: name.trim(), eventName: eventName.trim() || null, enabled: true };
      const source = await api.sources.save(
        kind === "amqp"
          ? { ...common, kind, url: brokerUrl.trim(), queue: queue.trim() }
          : kind === "nats"
            ? { ...common, kind, servers: brokerUrl.trim(), stream: stream.trim(), consumer: consumer.trim() }
            : { ...common, verifier, config: verifier === "generic-hmac" ? { header: header.trim() } : {} },
      );
      if (secret)
        await api.sources.setSecret(source.id, { name: broker ? "brokerPassword" : "signingSecret", value: secret });
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
      description="Webhooks: the engine verifies every signature against the raw body first. Brokers: one engine process consumes the queue or stream and acks each message once its event is stored."
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
        <Field label="Kind" htmlFor="source-kind">
          <Select id="source-kind" value={kind} onChange={(e) => setKind(e.target.value as SourceKind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </Select>
        </Field>
        {broker ? (
          <>
            <Field
              label={kind === "amqp" ? "Broker URL" : "Servers"}
              htmlFor="source-broker-url"
              hint={`A password only as <<secret.brokerPassword>>, e.g. ${kind === "amqp" ? "amqp://app:<<secret.brokerPassword>>@rabbitmq:5672" : "nats://app:<<secret.brokerPassword>>@nats:4222"}`}
            >
              <Input
                id="source-broker-url"
                value={brokerUrl}
                onChange={(e) => setBrokerUrl(e.target.value)}
                className="font-mono"
                placeholder={kind === "amqp" ? "amqp://rabbitmq:5672" : "nats://nats:4222"}
              />
            </Field>
            {kind === "amqp" ? (
              <Field
                label="Queue"
                htmlFor="source-queue"
                hint="It must exist; give it a dead-letter exchange to keep refused messages"
              >
                <Input
                  id="source-queue"
                  value={queue}
                  onChange={(e) => setQueue(e.target.value)}
                  className="font-mono"
                />
              </Field>
            ) : (
              <>
                <Field label="Stream" htmlFor="source-stream">
                  <Input
                    id="source-stream"
                    value={stream}
                    onChange={(e) => setStream(e.target.value)}
                    className="font-mono"
                  />
                </Field>
                <Field label="Durable consumer" htmlFor="source-consumer" hint="Created with explicit acks if missing">
                  <Input
                    id="source-consumer"
                    value={consumer}
                    onChange={(e) => setConsumer(e.target.value)}
                    className="font-mono"
                  />
                </Field>
              </>
            )}
          </>
        ) : null}
        {broker ? null : (
          <Field label="Verifier" htmlFor="source-verifier">
            <Select id="source-verifier" value={verifier} onChange={(e) => setVerifier(e.target.value as Verifier)}>
              {VERIFIERS.map((v) => (
                <option key={v} value={v}>
                  {VERIFIER_LABEL[v]}
                </option>
              ))}
            </Select>
          </Field>
        )}
        {!broker && verifier === "generic-hmac" ? (
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
          hint={
            broker
              ? "Every message becomes this event, e.g. order.created"
              : "Every verified webhook becomes this event, e.g. payment.confirmed"
          }
        >
          <Input
            id="source-event"
            value={eventName}
            onChange={(e) => setEventName(e.target.value)}
            className="font-mono"
          />
        </Field>
        <Field
          label={broker ? "Broker password" : "Signing secret"}
          htmlFor="source-secret"
          hint={
            broker
              ? "Stored encrypted as brokerPassword; the URL refers to it as <<secret.brokerPassword>>."
              : "From the provider's dashboard (e.g. whsec_…). Stored encrypted."
          }
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
