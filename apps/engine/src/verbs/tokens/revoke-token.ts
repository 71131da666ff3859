import { apiTokens } from "@ib/db";
import { and, eq, isNull } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { publicToken } from "./list-tokens.ts";

/** Revoke a token: refused from now on in this process (the cache forgets it), in others within seconds. */
export async function revokeToken({ ctx, input }: { ctx: ServiceContext; input: { id: string } }) {
  const row = await withTransaction(ctx, async (tx) => {
    const [existing] = await tx.db.select().from(apiTokens).where(eq(apiTokens.id, input.id)).limit(1);
    if (!existing) throw new NotFound(`No token with id ${input.id}`);
    if (existing.revokedAt) return existing;
    const [revoked] = await tx.db
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, input.id), isNull(apiTokens.revokedAt)))
      .returning();
    await recordAudit({
      ctx: tx,
      input: { action: "token.revoke", target: existing.id, details: { name: existing.name, role: existing.role } },
    });
    return revoked ?? existing;
  });
  ctx.app.tokens.forget(row.tokenHash);
  return publicToken(row);
}
