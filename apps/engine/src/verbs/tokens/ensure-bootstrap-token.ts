import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { newId } from "@ib/core";
import { apiTokens } from "@ib/db";
import { and, eq, isNull } from "drizzle-orm";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { generateTokenValue, hashToken, tokenPrefix } from "./token-value.ts";

export const ADMIN_TOKEN_FILE = "admin-token";

/**
 * Make sure an admin can get in. `IB_ADMIN_TOKEN` wins; otherwise a token kept in the data dir
 * (mode 0600) is used, or generated on the very first start and printed once. Runs as the engine
 * (`systemContext`), which the audit log records as the token's creator.
 */
export async function ensureBootstrapToken({
  ctx,
}: {
  ctx: ServiceContext;
}): Promise<{ value: string | null; generated: boolean }> {
  const { env } = ctx.app;
  const file = join(env.dataDir, ADMIN_TOKEN_FILE);
  let value = env.IB_ADMIN_TOKEN ?? (existsSync(file) ? readFileSync(file, "utf8").trim() : null);
  let generated = false;

  if (!value) {
    const [anyAdmin] = await ctx.db
      .select({ id: apiTokens.id })
      .from(apiTokens)
      .where(and(eq(apiTokens.role, "admin"), isNull(apiTokens.revokedAt)))
      .limit(1);
    if (anyAdmin) return { value: null, generated: false };
    value = generateTokenValue();
    generated = true;
    mkdirSync(env.dataDir, { recursive: true });
    writeFileSync(file, `${value}\n`, { mode: 0o600 });
  }

  const hash = hashToken(value);
  const [existing] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.tokenHash, hash)).limit(1);
  if (!existing) {
    await withTransaction(ctx, async (tx) => {
      const id = newId("token");
      const name = env.IB_ADMIN_TOKEN ? "bootstrap (IB_ADMIN_TOKEN)" : "bootstrap (generated)";
      await tx.db
        .insert(apiTokens)
        .values({
          id,
          name,
          role: "admin",
          tokenHash: hash,
          prefix: tokenPrefix(value as string),
          createdBy: tx.actor.tokenId,
        })
        .onConflictDoNothing();
      await recordAudit({
        ctx: tx,
        input: { action: "token.bootstrap", target: id, details: { name, role: "admin" } },
      });
    });
  }
  return { value, generated };
}
