"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge, Button, Field, Input, useToast } from "@/components/ui";
import { api } from "@/lib/api";
import type { Source } from "@/lib/engine-types";
import { dateTime, timeAgo } from "@/lib/format";

/** A source's signing secrets and, for writers, rotating them with an overlap for the previous one. */
export function SigningSecrets({ source, canWrite }: { source: Source; canWrite: boolean }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [value, setValue] = useState("");
  const [overlapHours, setOverlapHours] = useState("24");
  const rotate = useMutation({
    mutationFn: () =>
      api.sources.setSecret(source.id, {
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
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold">Signing secrets</h3>
      {source.secrets.length === 0 ? (
        <p className="text-sm text-amber-700">No signing secret yet: every webhook is refused until one is set.</p>
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
  );
}
