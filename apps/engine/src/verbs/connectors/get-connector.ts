import { connectors } from "@ib/db";
import { eq } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { type PublicConnector, publicConnector, secretNamesOf } from "./connector-view.ts";

/** One connector with its secrets' names, or NOT_FOUND. */
export async function getConnector({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { id: string };
}): Promise<PublicConnector> {
  const { db } = ctx;
  const { id } = input;
  const [row] = await db.select().from(connectors).where(eq(connectors.id, id)).limit(1);
  if (!row) throw new NotFound(`Connector ${id} does not exist`);
  const secrets = await secretNamesOf(db, [row.id]);
  return publicConnector(row, secrets.get(row.id) ?? []);
}
