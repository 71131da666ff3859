import { apiTokens } from "@ib/db";
import { and, eq, isNull } from "drizzle-orm";
import type { Actor, AppContext } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { audit } from "../audit/record-audit.ts";
import { publicToken } from "./list-tokens.ts";

export async function revokeToken({
  ctx,
  actor,
  requestId,
  input,
}: {
  ctx: AppContext;
  actor: Actor;
  requestId: string | null;
  input: { id: string };
}) {
  const row = await ctx.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(apiTokens).where(eq(apiTokens.id, input.id)).limit(1);
    if (!existing) throw new NotFound(`No token with id ${input.id}`);
    if (existing.revokedAt) return existing;
    const [revoked] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, input.id), isNull(apiTokens.revokedAt)))
      .returning();
    await audit(tx, {
      actor,
      requestId,
      action: "token.revoke",
      target: existing.id,
      details: { name: existing.name, role: existing.role },
    });
    return revoked ?? existing;
  });
  ctx.tokens.forget(row.tokenHash);
  return publicToken(row);
}
