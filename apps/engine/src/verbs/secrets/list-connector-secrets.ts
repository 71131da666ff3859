import { connectors, type Executor } from "@ib/db";
import { eq } from "drizzle-orm";
import { NotFound } from "../../lib/domain-errors.ts";
import { type SecretName, secretNamesOf } from "../connectors/connector-view.ts";

/** Names and timestamps of a connector's secrets; never their values. */
export async function listConnectorSecrets({
  db,
  connectorId,
}: {
  db: Executor;
  connectorId: string;
}): Promise<SecretName[]> {
  const [connector] = await db.select({ id: connectors.id }).from(connectors).where(eq(connectors.id, connectorId));
  if (!connector) throw new NotFound(`Connector ${connectorId} does not exist`);
  return (await secretNamesOf(db, [connectorId])).get(connectorId) ?? [];
}
