import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { newId } from "@ib/core";
import { apiTokens } from "@ib/db";
import { and, eq, isNull } from "drizzle-orm";
import { type AppContext, SYSTEM_ACTOR } from "../../context.ts";
import { audit } from "../audit/record-audit.ts";
import { generateTokenValue, hashToken, tokenPrefix } from "./token-value.ts";

export const ADMIN_TOKEN_FILE = "admin-token";

/**
 * Make sure an admin can get in. `IB_ADMIN_TOKEN` wins; otherwise a token kept in the data dir
 * (mode 0600) is used, or generated on the very first start and printed once.
 */
export async function ensureBootstrapToken(ctx: AppContext): Promise<{ value: string | null; generated: boolean }> {
  const file = join(ctx.env.dataDir, ADMIN_TOKEN_FILE);
  let value = ctx.env.IB_ADMIN_TOKEN ?? (existsSync(file) ? readFileSync(file, "utf8").trim() : null);
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
    mkdirSync(ctx.env.dataDir, { recursive: true });
    writeFileSync(file, `${value}\n`, { mode: 0o600 });
  }

  const hash = hashToken(value);
  const [existing] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.tokenHash, hash)).limit(1);
  if (!existing) {
    await ctx.db.transaction(async (tx) => {
      const id = newId("token");
      const name = ctx.env.IB_ADMIN_TOKEN ? "bootstrap (IB_ADMIN_TOKEN)" : "bootstrap (generated)";
      await tx
        .insert(apiTokens)
        .values({ id, name, role: "admin", tokenHash: hash, prefix: tokenPrefix(value as string), createdBy: "system" })
        .onConflictDoNothing();
      await audit(tx, { actor: SYSTEM_ACTOR, action: "token.bootstrap", target: id, details: { name, role: "admin" } });
    });
  }
  return { value, generated };
}
