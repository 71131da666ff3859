import { AcceptedReportSchema } from "@ib/core/contracts/report";
import { ulid } from "@ib/core/ids";
import type { Database } from "@ib/db";
import { lt } from "drizzle-orm";
import type { ControlPlaneEnv } from "./env.ts";
import { BodyTooLargeError, errorResponse, json, readBodyLimited, requestIdOf } from "./http.ts";
import { integrationBuilderReports } from "./schema.ts";
import { tokenMatches } from "./tokens.ts";

export const INGEST_TOKEN_HEADER = "x-cp-ingest-token";
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export interface IngestDeps {
  db: Database;
  env: Pick<ControlPlaneEnv, "CP_INGEST_TOKEN" | "CP_MAX_REPORT_BYTES" | "CP_RETENTION_DAYS">;
  logger?: Pick<Console, "warn" | "error">;
  now?: () => Date;
}

const lastPrune = globalThis as typeof globalThis & { __ibControlPlaneLastPrune?: number };

/**
 * `POST /api/integration-builder/report`: authenticate the engine by its ingest token, validate
 * the report and store it as an IntegrationBuilderReport. Every failure is the error envelope.
 */
export async function handleReport(
  request: Request,
  deps: IngestDeps,
  requestId = requestIdOf(request),
): Promise<Response> {
  const { env } = deps;
  if (!env.CP_INGEST_TOKEN) {
    return errorResponse(503, "UNAVAILABLE", "Report ingest is disabled: CP_INGEST_TOKEN is not set", requestId);
  }
  const presented = request.headers.get(INGEST_TOKEN_HEADER);
  if (!presented) {
    return errorResponse(401, "UNAUTHORIZED", `Missing ${INGEST_TOKEN_HEADER} header`, requestId);
  }
  if (!tokenMatches(presented, env.CP_INGEST_TOKEN)) {
    return errorResponse(401, "UNAUTHORIZED", `Invalid ${INGEST_TOKEN_HEADER}`, requestId);
  }
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(contentType)) {
    return errorResponse(415, "UNSUPPORTED_MEDIA_TYPE", "Send the report as application/json", requestId);
  }

  let text: string;
  try {
    text = await readBodyLimited(request, env.CP_MAX_REPORT_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return errorResponse(
        413,
        "PAYLOAD_TOO_LARGE",
        `Report is larger than ${env.CP_MAX_REPORT_BYTES} bytes`,
        requestId,
      );
    }
    throw error;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return errorResponse(400, "BAD_REQUEST", "Body is not valid JSON", requestId);
  }
  const parsed = AcceptedReportSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message, code: i.code }));
    const first = issues[0];
    return errorResponse(
      422,
      "VALIDATION_FAILED",
      first ? `Invalid report: ${first.path ? `${first.path}: ` : ""}${first.message}` : "Invalid report",
      requestId,
      { issues },
    );
  }

  const report = parsed.data;
  const now = deps.now?.() ?? new Date();
  const id = `rpt_${ulid(now.getTime())}`;
  await deps.db.insert(integrationBuilderReports).values({
    id,
    instanceId: report.instanceId,
    instanceName: report.instanceName ?? null,
    generatedAt: new Date(report.generatedAt),
    receivedAt: now,
    connectorsActive: report.connectorsActive,
    connectorsTotal: report.connectorsTotal,
    success24h: report.success24h,
    failure24h: report.failure24h,
    failedAttempts24h: report.failedAttempts24h ?? null,
    dlqOpen: report.dlqOpen,
    expectationsMissing: report.expectationsMissing ?? null,
    reportIntervalMs: report.reportIntervalMs ?? null,
    connectors: report.connectors ?? null,
    hourly: report.hourly?.map((h) => ({ ...h, hour: new Date(h.hour).toISOString() })) ?? null,
  });

  if (now.getTime() - (lastPrune.__ibControlPlaneLastPrune ?? 0) > PRUNE_EVERY_MS) {
    lastPrune.__ibControlPlaneLastPrune = now.getTime();
    pruneReports(deps.db, env.CP_RETENTION_DAYS, now).catch((error) =>
      (deps.logger ?? console).warn(`[control-plane] pruning old reports failed: ${String(error)}`),
    );
  }
  return json(201, { id, instanceId: report.instanceId, receivedAt: now.toISOString() }, requestId);
}

/** Delete reports received more than `retentionDays` ago; returns how many went. */
export async function pruneReports(db: Database, retentionDays: number, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 24 * 60 * 60 * 1000);
  const deleted = await db
    .delete(integrationBuilderReports)
    .where(lt(integrationBuilderReports.receivedAt, cutoff))
    .returning({ id: integrationBuilderReports.id });
  return deleted.length;
}
