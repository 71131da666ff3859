"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { CodeEditor } from "@/components/app/code-editor";
import { Button, Dialog, Field, Input, useToast } from "@/components/ui";
import { api } from "@/lib/api";
import { pretty } from "@/lib/format";

const SAMPLE_PAYLOAD = pretty({
  orderId: "ord_1042",
  total: 129.9,
  currency: "EUR",
  customer: { email: "ada@example.com" },
});

export function SendEventDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState("order.created");
  const [source, setSource] = useState("admin-test");
  const [payload, setPayload] = useState(SAMPLE_PAYLOAD);
  const [error, setError] = useState<string | null>(null);
  const send = useMutation({
    mutationFn: () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(payload);
      } catch (e) {
        throw new Error(`The payload is not valid JSON: ${(e as Error).message}`);
      }
      return api.events.send({ name: name.trim(), source: source.trim() || undefined, payload: parsed });
    },
    onSuccess: (res) => {
      const n = res.deliveries.length;
      const started = n
        ? `${n} ${n === 1 ? "delivery" : "deliveries"} started`
        : "No connector matches this event name";
      const warning = res.warnings?.[0];
      toast.success(
        `Event accepted: ${res.id}`,
        warning
          ? `${started}. Schema warning: ${warning.issues.map((i) => `${i.path || "(root)"} ${i.message}`).join("; ")}`
          : started,
      );
      qc.invalidateQueries({ queryKey: ["events"] });
      onClose();
    },
    onError: (e) => setError(e.message),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    send.mutate();
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Send test event"
      description="Posted to the engine exactly like your services do (POST /v1/events)."
    >
      <form id="send-event" onSubmit={submit} className="space-y-4">
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Event name" htmlFor="send-name">
            <Input
              id="send-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              className="font-mono"
              required
            />
          </Field>
          <Field label="Source" htmlFor="send-source">
            <Input id="send-source" value={source} onChange={(e) => setSource(e.target.value)} />
          </Field>
        </div>
        <div>
          <p className="mb-1.5 text-[13px] font-medium text-zinc-700" id="send-payload-label">
            Payload (JSON)
          </p>
          <CodeEditor
            path="send-event-payload.json"
            value={payload}
            onChange={setPayload}
            height={200}
            ariaLabel="Payload (JSON)"
          />
        </div>
        {error ? (
          <p className="text-sm text-red-600" role="alert">
            {error}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={send.isPending} disabled={!name.trim()}>
            Send event
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
