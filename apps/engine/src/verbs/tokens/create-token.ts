import { newId } from "@ib/core";
import { apiTokens } from "@ib/db";
import type { Role } from "../../auth/permissions.ts";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { publicToken } from "./list-tokens.ts";
import { generateTokenValue, hashToken, tokenPrefix } from "./token-value.ts";

/** A new API token, created by `ctx.actor`; its value is in the answer and nowhere else. */
export async function createToken({ ctx, input }: { ctx: ServiceContext; input: { name: string; role: Role } }) {
  const value = generateTokenValue();
  const row = await withTransaction(ctx, async (tx) => {
    const [created] = await tx.db
      .insert(apiTokens)
      .values({
        id: newId("token"),
        name: input.name,
        role: input.role,
        tokenHash: hashToken(value),
        prefix: tokenPrefix(value),
        createdBy: tx.actor.tokenId,
      })
      .returning();
    if (!created) throw new Error("token insert returned nothing");
    await recordAudit({
      ctx: tx,
      input: { action: "token.create", target: created.id, details: { name: input.name, role: input.role } },
    });
    return created;
  });
  return { token: publicToken(row), value };
}
