import type { DestinationPolicy } from "@ib/core/ssrf";
import { Agent, errors as undiciErrors } from "undici";
import { DestinationRefusedError, guardedConnect } from "./ssrf-guard.ts";

export const MAX_STORED_BODY_BYTES = 64 * 1024;
/** Past this much response body the connection is dropped instead of drained. */
const MAX_DRAIN_BYTES = 1024 * 1024;
const REDACTED_RESPONSE_HEADERS = new Set(["set-cookie", "authorization", "proxy-authorization"]);

export interface OutboundRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export type SendResult =
  | {
      kind: "response";
      status: number;
      statusText: string;
      headers: Record<string, string>;
      body: string;
      bodyTruncated: boolean;
      /** More of the body than `body` keeps, when the caller asked for it (`captureBytes`). */
      captured?: { text: string; truncated: boolean };
      durationMs: number;
    }
  | { kind: "timeout"; durationMs: number }
  | { kind: "network"; error: string; durationMs: number }
  /** The SSRF policy refused the address before any byte was sent; `rule` is the address class. */
  | { kind: "refused"; error: string; rule?: string; durationMs: number };

/**
 * Outbound HTTP for deliveries: one undici Agent (pooled keep-alive connections per origin) whose connect
 * step enforces the SSRF policy on the address actually connected to. Redirects are not followed.
 */
export class DeliveryHttpClient {
  readonly agent: Agent;

  constructor(policy: DestinationPolicy, options: { connections?: number } = {}) {
    this.agent = new Agent({
      connect: guardedConnect(policy, { timeout: 10_000 }),
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      connections: options.connections ?? null,
      pipelining: 1,
    });
  }

  /**
   * `captureBytes` keeps up to that much of the body (at most the drain limit) in `captured`, for a caller
   * that must read past what is stored (reconciliation's `key` in a large answer).
   */
  async send(
    request: OutboundRequest,
    timeoutMs: number,
    options: { captureBytes?: number } = {},
  ): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TimeoutSignal()), timeoutMs);
    try {
      const url = new URL(request.url);
      const res = await this.agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method as "POST",
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const chunks: Buffer[] = [];
      let stored = 0;
      let total = 0;
      let truncated = false;
      const captureBytes = Math.min(options.captureBytes ?? 0, MAX_DRAIN_BYTES);
      const captured: Buffer[] = [];
      let capturedBytes = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (capturedBytes < captureBytes) {
          const take = chunk.subarray(0, captureBytes - capturedBytes);
          captured.push(take);
          capturedBytes += take.length;
        }
        if (stored < MAX_STORED_BODY_BYTES) {
          const take = chunk.subarray(0, MAX_STORED_BODY_BYTES - stored);
          chunks.push(take);
          stored += take.length;
          if (take.length < chunk.length) truncated = true;
        } else truncated = true;
        if (total > MAX_DRAIN_BYTES) {
          res.body.destroy();
          break;
        }
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        if (v === undefined) continue;
        headers[k] = REDACTED_RESPONSE_HEADERS.has(k) ? "[redacted]" : Array.isArray(v) ? v.join(", ") : v;
      }
      return {
        kind: "response",
        status: res.statusCode,
        statusText: "",
        headers,
        body: Buffer.concat(chunks).toString("utf8"),
        bodyTruncated: truncated,
        ...(captureBytes > MAX_STORED_BODY_BYTES
          ? { captured: { text: Buffer.concat(captured).toString("utf8"), truncated: total > capturedBytes } }
          : {}),
        durationMs: elapsed(),
      };
    } catch (error) {
      if (controller.signal.aborted || isTimeout(error)) return { kind: "timeout", durationMs: elapsed() };
      const refused = findRefusal(error);
      if (refused) return { kind: "refused", error: refused.message, rule: refused.rule, durationMs: elapsed() };
      return { kind: "network", error: describeNetworkError(error), durationMs: elapsed() };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

class TimeoutSignal extends Error {
  constructor() {
    super("timeout");
    this.name = "TimeoutError";
  }
}

function isTimeout(error: unknown): boolean {
  return (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError ||
    error instanceof TimeoutSignal
  );
}

function findRefusal(error: unknown): DestinationRefusedError | undefined {
  let e: unknown = error;
  for (let i = 0; i < 5 && e; i++) {
    if (e instanceof DestinationRefusedError || (e as { code?: string }).code === "DESTINATION_REFUSED") {
      return e as DestinationRefusedError;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function describeNetworkError(error: unknown): string {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? e.cause?.code;
  const message = e.cause?.message ?? e.message ?? String(error);
  return code && !message.includes(code) ? `${code} ${message}` : message;
}
