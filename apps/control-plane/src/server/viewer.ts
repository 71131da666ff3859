import { createHmac } from "node:crypto";
import { tokenMatches } from "./tokens.ts";

export const VIEWER_COOKIE = "ib_cp_viewer";

/**
 * The cookie proves the browser once presented CP_VIEWER_TOKEN without holding the token itself:
 * it is an HMAC keyed by the token, so changing the token signs every browser out.
 */
export function viewerSession(viewerToken: string): string {
  return createHmac("sha256", viewerToken).update("ib-control-plane viewer session v1").digest("base64url");
}

/** True when no viewer token is configured, or the cookie matches it. */
export function isViewerAllowed(viewerToken: string | undefined, cookieValue: string | undefined): boolean {
  if (!viewerToken) return true;
  return tokenMatches(cookieValue, viewerSession(viewerToken));
}

/** Parse one cookie out of a Cookie header (route handlers that do not use next/headers). */
export function cookieFrom(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}
