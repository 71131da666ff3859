import { getDashboard } from "../../../../server/dashboard.ts";
import { store } from "../../../../server/db.ts";
import { env } from "../../../../server/env.ts";
import { errorResponse, json, requestIdOf } from "../../../../server/http.ts";
import { cookieFrom, isViewerAllowed, VIEWER_COOKIE } from "../../../../server/viewer.ts";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The dashboard's data, polled by the page every 30 s. */
export async function GET(request: Request): Promise<Response> {
  const requestId = requestIdOf(request);
  const e = env();
  if (!isViewerAllowed(e, cookieFrom(request.headers.get("cookie"), VIEWER_COOKIE))) {
    return errorResponse(401, "UNAUTHORIZED", "Sign in with the viewer token to see the dashboard", requestId);
  }
  try {
    const { db } = await store();
    return json(200, await getDashboard(db, e), requestId);
  } catch (error) {
    console.error(
      `[control-plane] dashboard query failed (${requestId}): ${error instanceof Error ? error.message : error}`,
    );
    return errorResponse(
      500,
      "INTERNAL",
      "Internal error; the request id identifies it in the control plane's log",
      requestId,
    );
  }
}
