import { connectors } from "@ib/db";
import { eq } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { type SecretName, secretNamesOf } from "../connectors/connector-view.ts";

/** Names and timestamps of a connector's secrets; never their values. */
export async function listConnectorSecrets({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { connectorId: string };
}): Promise<SecretName[]> {
  const { connectorId } = input;
  const [connector] = await ctx.db.select({ id: connectors.id }).from(connectors).where(eq(connectors.id, connectorId));
  if (!connector) throw new NotFound(`Connector ${connectorId} does not exist`);
  return (await secretNamesOf(ctx.db, [connectorId])).get(connectorId) ?? [];
}
