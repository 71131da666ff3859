"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { type FormEvent, Fragment, useState } from "react";
import { NamedId } from "@/components/app/named-id";
import { LoadMore, QueryView } from "@/components/app/query-view";
import { Badge, Button, EmptyState, Field, Input, PageHeader, Table, TBody, Td, THead, Th, Tr } from "@/components/ui";
import { api } from "@/lib/api";
import { dateTime, timeAgo } from "@/lib/format";

interface Filters {
  actor: string;
  action: string;
  target: string;
}

export function AuditView() {
  const [draft, setDraft] = useState<Filters>({ actor: "", action: "", target: "" });
  const [filters, setFilters] = useState<Filters>(draft);
  const [open, setOpen] = useState<number | null>(null);
  const audit = useInfiniteQuery({
    queryKey: ["audit", filters],
    queryFn: ({ pageParam }) => api.audit({ ...filters, cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as number | undefined,
    // The audit log pages by sequence number: the engine answers it as a string and reads it as a number.
    getNextPageParam: (last) => (last.nextCursor === null ? undefined : Number(last.nextCursor)),
  });
  const entries = audit.data?.pages.flatMap((p) => p.entries) ?? [];

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters({ actor: draft.actor.trim(), action: draft.action.trim(), target: draft.target.trim() });
  };

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change, who made it and when. Append-only and hash-chained: the database refuses edits."
      />
      <form
        onSubmit={apply}
        className="mb-4 grid gap-3 rounded-lg bg-white p-3 ring-1 ring-zinc-200 sm:grid-cols-[1fr_1fr_1fr_auto] sm:items-end"
      >
        <Field label="Actor (token id)" htmlFor="audit-actor">
          <Input
            id="audit-actor"
            value={draft.actor}
            placeholder="tok_…"
            onChange={(e) => setDraft({ ...draft, actor: e.target.value })}
          />
        </Field>
        <Field label="Action" htmlFor="audit-action">
          <Input
            id="audit-action"
            value={draft.action}
            placeholder="connector.* or token.create"
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          />
        </Field>
        <Field label="Target" htmlFor="audit-target">
          <Input
            id="audit-target"
            value={draft.target}
            placeholder="con_…"
            onChange={(e) => setDraft({ ...draft, target: e.target.value })}
          />
        </Field>
        <div className="flex gap-2">
          <Button type="submit" variant="primary">
            Filter
          </Button>
          <Button
            onClick={() => {
              const empty = { actor: "", action: "", target: "" };
              setDraft(empty);
              setFilters(empty);
            }}
          >
            Clear
          </Button>
        </div>
      </form>
      <QueryView
        query={audit}
        loading="Loading audit log"
        isEmpty={() => entries.length === 0}
        empty={
          <EmptyState
            title="No entries match"
            description="Try a broader filter, e.g. an action prefix like connector.*"
          />
        }
      >
        {() => (
          <>
            <Table>
              <THead>
                <tr>
                  <Th className="w-16">#</Th>
                  <Th>When</Th>
                  <Th>Action</Th>
                  <Th>Target</Th>
                  <Th>Actor</Th>
                  <Th>Request</Th>
                </tr>
              </THead>
              <TBody>
                {entries.map((e) => (
                  <Fragment key={e.seq}>
                    <Tr
                      interactive
                      tabIndex={0}
                      aria-expanded={open === e.seq}
                      onClick={() => setOpen(open === e.seq ? null : e.seq)}
                      onKeyDown={(k) => {
                        if (k.key === "Enter" || k.key === " ") {
                          k.preventDefault();
                          setOpen(open === e.seq ? null : e.seq);
                        }
                      }}
                    >
                      <Td className="font-mono text-xs text-zinc-500">{e.seq}</Td>
                      <Td title={dateTime(e.at)} className="whitespace-nowrap">
                        {timeAgo(e.at)}
                      </Td>
                      <Td>
                        <span className="font-mono text-xs font-medium text-zinc-900">{e.action}</span>
                      </Td>
                      <Td className="max-w-[16rem]">
                        {e.target ? <NamedId name={e.targetName} id={e.target} /> : "—"}
                      </Td>
                      <Td>
                        <span className="inline-flex max-w-[16rem] items-center gap-1.5">
                          {e.actorId ? <NamedId name={e.actorName} id={e.actorId} /> : "—"}
                          {e.actorRole ? <Badge>{e.actorRole}</Badge> : null}
                        </span>
                      </Td>
                      <Td
                        className="max-w-[10rem] truncate font-mono text-xs text-zinc-500"
                        title={e.requestId ?? undefined}
                      >
                        {e.requestId ?? "—"}
                      </Td>
                    </Tr>
                    {open === e.seq ? (
                      <tr className="bg-zinc-50">
                        <td colSpan={6} className="px-3 py-3">
                          <pre className="max-h-80 overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-xs text-zinc-100">
                            {JSON.stringify(e.details, null, 2)}
                          </pre>
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                ))}
              </TBody>
            </Table>
            <LoadMore query={audit} label="Load older entries" />
          </>
        )}
      </QueryView>
    </>
  );
}
