import { store } from "../../../../server/db.ts";
import { env } from "../../../../server/env.ts";
import { errorResponse, requestIdOf } from "../../../../server/http.ts";
import { handleReport } from "../../../../server/ingest.ts";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Engines push their reports here (DESIGN §8). */
export async function POST(request: Request): Promise<Response> {
  // One id for the whole request, so a 500's id is the one in the log lines before it.
  const requestId = requestIdOf(request);
  try {
    const { db } = await store();
    return await handleReport(request, { db, env: env() }, requestId);
  } catch (error) {
    console.error(
      `[control-plane] report ingest failed (${requestId}): ${error instanceof Error ? error.message : error}`,
    );
    return errorResponse(
      500,
      "INTERNAL",
      "Internal error; the request id identifies it in the control plane's log",
      requestId,
    );
  }
}
