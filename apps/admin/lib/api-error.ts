// One error for a call that did not answer 2xx, whether the browser made it (lib/api.ts, through the
// proxy) or the server did (lib/engine.ts): the status and the error envelope's fields.
import type { ErrorEnvelope } from "./engine-types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/**
 * The envelope as the admin reads it: leniently, since the admin's own proxy answers with one before there
 * is an engine request id, and a newer engine may send a code this build does not know.
 */
type LenientEnvelope = { error?: Partial<Omit<ErrorEnvelope["error"], "code">> & { code?: string } };

/** What an openapi-fetch call resolves to, whichever operation it was. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a 2xx answer; anything else throws an ApiError with the envelope's code and message. */
export async function unwrap<T>(pending: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await pending;
  if (response.ok) return data as T;
  const envelope = (typeof error === "object" && error !== null ? error : {}) as LenientEnvelope;
  throw new ApiError(
    response.status,
    envelope.error?.code ?? "HTTP_ERROR",
    envelope.error?.message ?? `Request failed (${response.status})`,
    envelope.error?.requestId,
    envelope.error?.details,
  );
}
