import { newId } from "@ib/core";
import { apiTokens } from "@ib/db";
import type { Role } from "../../auth/permissions.ts";
import type { Actor, AppContext } from "../../context.ts";
import { audit } from "../audit/record-audit.ts";
import { publicToken } from "./list-tokens.ts";
import { generateTokenValue, hashToken, tokenPrefix } from "./token-value.ts";

export async function createToken({
  ctx,
  actor,
  requestId,
  input,
}: {
  ctx: AppContext;
  actor: Actor;
  requestId: string | null;
  input: { name: string; role: Role };
}) {
  const value = generateTokenValue();
  const row = await ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(apiTokens)
      .values({
        id: newId("token"),
        name: input.name,
        role: input.role,
        tokenHash: hashToken(value),
        prefix: tokenPrefix(value),
        createdBy: actor.tokenId,
      })
      .returning();
    if (!created) throw new Error("token insert returned nothing");
    await audit(tx, {
      actor,
      requestId,
      action: "token.create",
      target: created.id,
      details: { name: input.name, role: input.role },
    });
    return created;
  });
  return { token: publicToken(row), value };
}
