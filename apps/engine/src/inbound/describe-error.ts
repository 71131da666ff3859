import { DrizzleQueryError } from "drizzle-orm";

/**
 * An ingest failure as stored with a webhook or a refused message (`lastError`, `verificationError`) and
 * logged: a failed query says what the database said, never its SQL and parameters (they hold the payload,
 * which only roles with the raw-read permission may see).
 */
export function describeIngestError(error: unknown): string {
  if (error instanceof DrizzleQueryError && error.cause instanceof Error) return `database: ${error.cause.message}`;
  return error instanceof Error ? error.message : String(error);
}
