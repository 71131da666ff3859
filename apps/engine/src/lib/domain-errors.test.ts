import { describe, expect, it } from "vitest";
import {
  Conflict,
  type DomainError,
  domainErrorCode,
  Forbidden,
  Invalid,
  NotFound,
  RateLimited,
  Unavailable,
  Unprocessable,
} from "./domain-errors.ts";
import { ERROR_STATUS } from "./errors.ts";

describe("domain errors", () => {
  it("map to one envelope code each, and so to one HTTP status, in one place", () => {
    const cases: [DomainError, string, number][] = [
      [new NotFound("no such connector"), "NOT_FOUND", 404],
      [new Conflict("stale version"), "CONFLICT", 409],
      [new Invalid("bad input"), "VALIDATION_FAILED", 400],
      [new Forbidden("not yours"), "FORBIDDEN", 403],
      [new Unprocessable("mapping fails"), "UNPROCESSABLE", 422],
      [new Unavailable("control plane down"), "UNAVAILABLE", 503],
      [new RateLimited("one test send per second", 400), "RATE_LIMITED", 429],
    ];
    for (const [error, code, status] of cases) {
      expect(domainErrorCode(error)).toBe(code);
      expect(ERROR_STATUS[domainErrorCode(error)]).toBe(status);
      expect(error.name).toBe(error.constructor.name);
    }
  });

  it("carry their details", () => {
    expect(new Conflict("stale", { current: 3 }).details).toEqual({ current: 3 });
  });
});
