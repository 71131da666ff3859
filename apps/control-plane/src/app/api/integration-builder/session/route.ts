import { env } from "../../../../server/env.ts";
import { tokenMatches } from "../../../../server/tokens.ts";
import { VIEWER_COOKIE, viewerSession } from "../../../../server/viewer.ts";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const MAX_AGE_S = 7 * 24 * 60 * 60;

// A relative Location keeps the browser on whatever host and port it used (proxies included).
function redirect(_request: Request, path: string, cookie?: string): Response {
  const headers = new Headers({ location: path });
  if (cookie) headers.set("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
}

/** Sign in (form field `token`) or out (`action=sign-out`); answers with a redirect for the browser. */
export async function POST(request: Request): Promise<Response> {
  const e = env();
  const viewerToken = e.CP_VIEWER_TOKEN;
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return redirect(request, "/integration-builder/sign-in?error=invalid");
  }
  if (form.get("action") === "sign-out") {
    return redirect(
      request,
      "/integration-builder/sign-in",
      `${VIEWER_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`,
    );
  }
  if (e.CP_PUBLIC_DASHBOARD) return redirect(request, "/integration-builder");
  if (!viewerToken) return redirect(request, "/integration-builder/sign-in");
  const presented = form.get("token");
  if (typeof presented !== "string" || !tokenMatches(presented.trim(), viewerToken)) {
    return redirect(request, "/integration-builder/sign-in?error=invalid");
  }
  return redirect(
    request,
    "/integration-builder",
    `${VIEWER_COOKIE}=${viewerSession(viewerToken)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${MAX_AGE_S}${secure}`,
  );
}
