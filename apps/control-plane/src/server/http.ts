import { type ErrorCode, errorEnvelope } from "@ib/core/contracts/error";
import { requestIdFrom } from "@ib/core/ids";

/** The caller's `x-request-id` when it is sane, else a fresh `req_…` (the engine's rule, from `@ib/core`). */
export function requestIdOf(request: Request): string {
  return requestIdFrom(request.headers.get("x-request-id"));
}

/** The one error envelope, shared with the engine: `{ error: { code, message, requestId } }`. */
export function errorResponse(
  status: number,
  code: ErrorCode,
  message: string,
  requestId: string,
  details?: Record<string, unknown>,
): Response {
  return json(status, errorEnvelope(code, message, requestId, details), requestId);
}

export function json(status: number, body: unknown, requestId: string): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-request-id": requestId,
      "cache-control": "no-store",
    },
  });
}

export class BodyTooLargeError extends Error {}

/** Read a request body as text, refusing (without buffering it all) anything over `maxBytes`. */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLargeError();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
