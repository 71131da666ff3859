import { describe, expect, it } from "vitest";
import { ErrorEnvelopeSchema, errorEnvelope } from "./error.ts";

describe("errorEnvelope", () => {
  it("builds the one envelope, with details only when given", () => {
    expect(errorEnvelope("NOT_FOUND", "No such connector", "req_1")).toEqual({
      error: { code: "NOT_FOUND", message: "No such connector", requestId: "req_1" },
    });
    const withDetails = errorEnvelope("VALIDATION_FAILED", "Invalid", "req_2", { issues: [] });
    expect(ErrorEnvelopeSchema.parse(withDetails)).toEqual(withDetails);
  });
  it("refuses an envelope without a request id or with an unknown code", () => {
    expect(ErrorEnvelopeSchema.safeParse({ error: { code: "NOT_FOUND", message: "x" } }).success).toBe(false);
    expect(ErrorEnvelopeSchema.safeParse({ error: { code: "TEAPOT", message: "x", requestId: "r" } }).success).toBe(
      false,
    );
  });
});
