import type { ServiceContext } from "../context.ts";
import type { ControlPlaneReport } from "./build-report.ts";

export const REPORT_PATH = "/api/integration-builder/report";
export const INGEST_TOKEN_HEADER = "x-cp-ingest-token";
const PUSH_TIMEOUT_MS = 10_000;

/** The control plane refused the report, or could not be reached. */
export class ReportPushError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = "ReportPushError";
  }
}

/** IB_CONTROL_PLANE_URL is the control plane's base URL; the full ingest URL is accepted too. */
export function reportUrl(base: string): string {
  const url = new URL(base);
  if (!url.pathname.endsWith(REPORT_PATH)) url.pathname = `${url.pathname.replace(/\/+$/, "")}${REPORT_PATH}`;
  return url.toString();
}

/** One push, no retry (the reporter service retries). Resolves with the control plane's status. */
export async function pushReport({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { report: ControlPlaneReport; signal?: AbortSignal };
}): Promise<{ status: number }> {
  const { report, signal } = input;
  const { env } = ctx.app;
  const base = env.IB_CONTROL_PLANE_URL;
  if (!base) throw new ReportPushError("IB_CONTROL_PLANE_URL is not set", undefined);
  const url = reportUrl(base);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "integration-builder-engine",
  };
  if (env.IB_CONTROL_PLANE_TOKEN) headers[INGEST_TOKEN_HEADER] = env.IB_CONTROL_PLANE_TOKEN;
  const timeout = AbortSignal.timeout(PUSH_TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify(report),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      redirect: "error",
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = timeout.aborted
      ? `timed out after ${PUSH_TIMEOUT_MS} ms`
      : (cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)));
    throw new ReportPushError(`Could not reach the control plane at ${url}: ${reason}`, undefined);
  }
  const text = await res.text().catch(() => "");
  if (!res.ok) {
    let detail = text.slice(0, 300);
    try {
      detail = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? detail;
    } catch {}
    throw new ReportPushError(`The control plane answered ${res.status}: ${detail}`, res.status);
  }
  return { status: res.status };
}
