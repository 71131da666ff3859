import type { ErrorCode } from "@ib/core/contracts/error";

/**
 * What a verb throws when a rule says no. Verbs know nothing of HTTP: the app's error adapter (app.ts)
 * maps each kind to the envelope's code and status, in one place.
 */
export abstract class DomainError extends Error {
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The thing named does not exist (or is not visible to the caller). */
export class NotFound extends DomainError {}
/** The request conflicts with the current state (a stale version, a duplicate). */
export class Conflict extends DomainError {}
/** The input breaks a rule the schema could not express. */
export class Invalid extends DomainError {}
/** The caller may not do this to this thing. */
export class Forbidden extends DomainError {}
/** Well-formed and allowed, but it cannot be done as asked (e.g. a mapping that fails on the sample). */
export class Unprocessable extends DomainError {}
/** A dependency the verb needs is not available right now. */
export class Unavailable extends DomainError {}
/** The input is over a size limit the verb enforces (e.g. an event schema over 256 KiB). */
export class TooLarge extends DomainError {}
/** An event's payload breaks its catalog schema (validation `enforce`); `details.issues` says where. */
export class SchemaValidationFailed extends DomainError {}
/** Too many calls of this kind right now; the caller may try again after `retryAfterMs` (`Retry-After`). */
export class RateLimited extends DomainError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
    details?: Record<string, unknown>,
  ) {
    super(message, details);
  }
}

/** The one mapping from a domain error to the envelope's code (the code decides the HTTP status). */
export function domainErrorCode(error: DomainError): ErrorCode {
  if (error instanceof NotFound) return "NOT_FOUND";
  if (error instanceof Conflict) return "CONFLICT";
  if (error instanceof Invalid) return "VALIDATION_FAILED";
  if (error instanceof Forbidden) return "FORBIDDEN";
  if (error instanceof Unprocessable) return "UNPROCESSABLE";
  if (error instanceof Unavailable) return "UNAVAILABLE";
  if (error instanceof TooLarge) return "PAYLOAD_TOO_LARGE";
  if (error instanceof SchemaValidationFailed) return "SCHEMA_VALIDATION_FAILED";
  if (error instanceof RateLimited) return "RATE_LIMITED";
  return "INTERNAL";
}
