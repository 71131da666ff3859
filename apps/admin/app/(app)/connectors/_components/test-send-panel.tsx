"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Badge, Button, Card, Dialog, type Tone } from "@/components/ui";
import { ApiError, api } from "@/lib/api";
import type { EngineAnswer, EngineBody } from "@/lib/engine-types";
import { hostOf, pretty } from "@/lib/format";
import { isSandboxUrl } from "./sandbox";

type TestSendResult = EngineAnswer<"/admin/integration-builder/connectors/{id}/test", "post">;
type TestSendEvent = EngineBody<"/admin/integration-builder/connectors/{id}/test", "post">["event"];

const OUTCOME: Record<TestSendResult["outcome"], { tone: Tone; label: string }> = {
  success: { tone: "green", label: "Success" },
  retryable: { tone: "amber", label: "Would be retried" },
  permanent: { tone: "red", label: "Would fail" },
};

/**
 * "Send test": one real request to the destination now, through the engine's delivery path (secrets,
 * signature, auth, SSRF guard, timeout), for the saved connector and the sample event. Nothing is queued or
 * recorded as a delivery; the engine audits it and allows one per connector per second. When the saved
 * connector is enabled and its destination is not a sandbox (see sandbox.ts), it asks first: the request
 * reaches a live system.
 */
export function TestSendPanel({
  connectorId,
  event,
  dirty,
  enabled,
  url,
}: {
  connectorId: string;
  /** The editor's sample event (null: the engine uses the saved sampleEvent, or a minimal event). */
  event: unknown;
  dirty: boolean;
  /** The saved connector's: what the engine sends with. */
  enabled: boolean;
  url: string;
}) {
  const send = useMutation({
    mutationFn: () =>
      api.connectors.test(connectorId, event && typeof event === "object" ? { event: event as TestSendEvent } : {}),
  });
  const result = send.data;
  const [confirming, setConfirming] = useState(false);
  const live = enabled && !isSandboxUrl(url);

  return (
    <Card className="overflow-hidden" data-testid="test-send">
      <div className="flex items-center justify-between gap-3 border-b border-zinc-200 px-4 py-3">
        <div>
          <h2 className="text-sm font-semibold text-zinc-900">Send test</h2>
          <p className="text-xs text-zinc-500">
            Sends one real request to the destination now, as a delivery would, with the sample event. No delivery is
            recorded.
            {dirty ? " It uses the saved connector: save your changes to test them." : ""}
          </p>
        </div>
        <Button
          variant="secondary"
          onClick={() => (live ? setConfirming(true) : send.mutate())}
          loading={send.isPending}
        >
          Send test
        </Button>
      </div>
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Send a real request to a live destination?"
        description={hostOf(url) || url}
        footer={
          <>
            <Button onClick={() => setConfirming(false)}>Cancel</Button>
            <Button
              variant="primary"
              onClick={() => {
                setConfirming(false);
                send.mutate();
              }}
            >
              Send the test
            </Button>
          </>
        }
      >
        <p className="text-sm text-zinc-700">
          This connector is enabled and its destination is not a sandbox (not this machine, a reserved test domain or a
          provider's sandbox host): the partner's system receives the sample event as if it were real.
        </p>
      </Dialog>
      {send.isError || result ? (
        <div className="space-y-4 p-4" aria-live="polite">
          {send.isError ? (
            <div className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" role="alert">
              {refusal(send.error)}
            </div>
          ) : result ? (
            <TestSendAnswer result={result} />
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}

function refusal(error: Error): string {
  if (error instanceof ApiError && error.status === 429) return `${error.message} (at most one test send a second).`;
  return error.message;
}

function TestSendAnswer({ result }: { result: TestSendResult }) {
  const outcome = OUTCOME[result.outcome];
  return (
    <>
      <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="test-send-summary">
        <Badge tone={outcome.tone} dot>
          {outcome.label}
        </Badge>
        {result.response ? (
          <span className="font-mono text-zinc-800" data-testid="test-send-status">
            HTTP {result.response.status}
          </span>
        ) : (
          <span className="text-zinc-500">No response</span>
        )}
        <span className="text-zinc-500" data-testid="test-send-duration">
          {result.durationMs} ms
        </span>
      </div>
      {result.error ? (
        <p className="rounded-md bg-red-50 px-3 py-2 text-sm break-words text-red-700" data-testid="test-send-error">
          {result.error}
        </p>
      ) : null}
      {result.warnings.length ? (
        <ul className="space-y-1">
          {result.warnings.map((text) => (
            <li key={text} className="flex gap-2 rounded-md bg-amber-50 px-2.5 py-1.5 text-xs text-amber-800">
              <span aria-hidden>⚠</span>
              {text}
            </li>
          ))}
        </ul>
      ) : null}

      <section data-testid="test-send-request">
        <Heading>Request sent</Heading>
        <div className="mb-2 flex items-start gap-2">
          <Badge tone="accent">{result.request.method}</Badge>
          <code className="min-w-0 font-mono text-[13px] break-all text-zinc-800">{result.request.url}</code>
        </div>
        <Headers headers={result.request.headers} />
        <Body text={result.request.body} truncated={result.request.bodyTruncated} />
      </section>

      {result.response ? (
        <section data-testid="test-send-response">
          <Heading>Response</Heading>
          <Headers headers={result.response.headers} />
          <Body text={result.response.body} truncated={result.response.bodyTruncated} />
        </section>
      ) : null}
    </>
  );
}

function Heading({ children }: { children: string }) {
  return <h3 className="mb-1.5 text-xs font-medium tracking-wide text-zinc-500 uppercase">{children}</h3>;
}

function Headers({ headers }: { headers: Record<string, string> }) {
  return (
    <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 rounded-md bg-zinc-50 px-3 py-2 font-mono text-xs">
      {Object.entries(headers).map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-zinc-500">{k}</dt>
          <dd className="break-all text-zinc-800">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Body({ text, truncated }: { text: string | null; truncated?: boolean }) {
  return (
    <>
      <pre className="mt-2 max-h-72 overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-xs leading-relaxed text-zinc-100">
        {text === null || text === "" ? "(no body)" : pretty(text)}
      </pre>
      {truncated ? <p className="mt-1 text-xs text-zinc-500">Only the first 64 KiB are shown.</p> : null}
    </>
  );
}
