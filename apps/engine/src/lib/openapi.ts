import type { z } from "@hono/zod-openapi";
import { ErrorEnvelopeSchema } from "@ib/core/contracts/error";

/** The one error envelope, from the contract (its `.meta()` id names the `Error` component). */
export const ErrorSchema = ErrorEnvelopeSchema;

const DESCRIPTIONS: Record<number, string> = {
  400: "Malformed or invalid input",
  401: "Missing, invalid or revoked token",
  403: "The token's role does not allow this",
  404: "Not found",
  409: "Conflict (e.g. a stale version)",
  413: "Body too large",
  422: "Unprocessable",
  429: "Rate limited",
};

/** OpenAPI entries for the error answers a route can give, all with the one envelope. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: DESCRIPTIONS[s] ?? "Error", content: { "application/json": { schema: ErrorSchema } } },
    ]),
  );
}

/**
 * A required JSON request body (without `required`, a non-JSON body would skip validation), with named
 * examples when given (shown as a choice in /docs).
 */
export function jsonBody<T extends z.ZodTypeAny>(
  schema: T,
  description?: string,
  examples?: Record<string, { summary: string; value: unknown }>,
) {
  return { required: true, description, content: { "application/json": { schema, examples } } } as const;
}

export function jsonContent<T extends z.ZodTypeAny>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } } as const;
}

export const bearerSecurity = [{ bearer: [] as string[] }];

export const ADMIN_BASE = "/admin/integration-builder";
