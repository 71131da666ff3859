import { createHmac } from "node:crypto";
import type { ControlPlaneEnv } from "./env.ts";
import { tokenMatches } from "./tokens.ts";

export const VIEWER_COOKIE = "ib_cp_viewer";

/**
 * The cookie proves the browser once presented CP_VIEWER_TOKEN without holding the token itself:
 * it is an HMAC keyed by the token, so changing the token signs every browser out.
 */
export function viewerSession(viewerToken: string): string {
  return createHmac("sha256", viewerToken).update("ib-control-plane viewer session v1").digest("base64url");
}

export type DashboardAccess = "public" | "sign-in" | "locked";

/**
 * Private unless said otherwise: `public` only with CP_PUBLIC_DASHBOARD=1, `sign-in` with the viewer
 * token, `locked` (nobody can view it) when neither is set.
 */
export function dashboardAccess(e: Pick<ControlPlaneEnv, "CP_PUBLIC_DASHBOARD" | "CP_VIEWER_TOKEN">): DashboardAccess {
  if (e.CP_PUBLIC_DASHBOARD) return "public";
  return e.CP_VIEWER_TOKEN ? "sign-in" : "locked";
}

/** True when the dashboard is public, or the cookie proves a sign-in with the viewer token. */
export function isViewerAllowed(
  e: Pick<ControlPlaneEnv, "CP_PUBLIC_DASHBOARD" | "CP_VIEWER_TOKEN">,
  cookieValue: string | undefined,
): boolean {
  if (e.CP_PUBLIC_DASHBOARD) return true;
  if (!e.CP_VIEWER_TOKEN) return false;
  return tokenMatches(cookieValue, viewerSession(e.CP_VIEWER_TOKEN));
}

/** Parse one cookie out of a Cookie header (route handlers that do not use next/headers). */
export function cookieFrom(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}
