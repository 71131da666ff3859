import { type NextRequest, NextResponse } from "next/server";
import { engineFetch, isForwardable, SESSION_COOKIE } from "@/lib/engine";

// The browser's only way to the engine: same-origin calls carrying the session cookie are forwarded
// with the token attached server-side. Only whitelisted engine paths pass.
const PREFIX = "/api/engine";

function fail(status: number, code: string, message: string) {
  return NextResponse.json({ error: { code, message } }, { status });
}

async function forward(req: NextRequest) {
  const token = req.cookies.get(SESSION_COOKIE)?.value;
  if (!token) return fail(401, "UNAUTHORIZED", "Sign in first");
  const path = req.nextUrl.pathname.slice(PREFIX.length);
  if (/\/\.\.?(\/|$)/.test(path) || !isForwardable(req.method, path)) {
    return fail(404, "NOT_FOUND", `The admin does not forward ${req.method} ${path}`);
  }
  if (req.method !== "GET") {
    // SameSite=Strict already keeps other sites' requests cookie-less; refuse cross-origin writes anyway.
    const origin = req.headers.get("origin");
    if (origin && origin !== req.nextUrl.origin && new URL(origin).host !== req.headers.get("host")) {
      return fail(403, "FORBIDDEN", "Cross-origin request refused");
    }
  }
  const body = req.method === "GET" || req.method === "DELETE" ? undefined : await req.text();
  const upstream = await engineFetch(token, req.method, path + req.nextUrl.search, {
    body: body || undefined,
    contentType: req.headers.get("content-type") ?? "application/json",
  });
  const headers = new Headers({ "cache-control": "no-store" });
  const type = upstream.headers.get("content-type");
  if (type) headers.set("content-type", type);
  const requestId = upstream.headers.get("x-request-id");
  if (requestId) headers.set("x-request-id", requestId);
  return new NextResponse(upstream.status === 204 ? null : await upstream.arrayBuffer(), {
    status: upstream.status,
    headers,
  });
}

export const GET = forward;
export const POST = forward;
export const PUT = forward;
export const DELETE = forward;
