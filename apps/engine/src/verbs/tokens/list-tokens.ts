import { type ApiToken, apiTokens } from "@ib/db";
import { desc } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";

/** A token as the API shows it: never its value or hash. */
export function publicToken(row: ApiToken) {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function listTokens({ ctx }: { ctx: ServiceContext }) {
  const rows = await ctx.db.select().from(apiTokens).orderBy(desc(apiTokens.createdAt));
  return rows.map(publicToken);
}
