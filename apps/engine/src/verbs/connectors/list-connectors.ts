import { connectors } from "@ib/db";
import { and, asc, eq, gt, type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { publicConnector, secretNamesOf } from "./connector-view.ts";

export interface ListConnectorsInput {
  enabled?: boolean;
  /** Connectors whose `sourceEvent` is exactly this. */
  sourceEvent?: string;
  preset?: string;
  /** `key:value` — connectors carrying that tag. */
  tag?: string;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  limit: number;
}

/** Connectors in creation order (ids sort by time), a page at a time. */
export async function listConnectors({ ctx, input }: { ctx: ServiceContext; input: ListConnectorsInput }) {
  const { db } = ctx;
  const where: SQL[] = [];
  if (input.enabled !== undefined) where.push(eq(connectors.enabled, input.enabled));
  if (input.sourceEvent) where.push(eq(connectors.sourceEvent, input.sourceEvent));
  if (input.preset) where.push(eq(connectors.preset, input.preset));
  if (input.tag) {
    const at = input.tag.indexOf(":");
    const key = at < 0 ? input.tag : input.tag.slice(0, at);
    const tag =
      at < 0 ? sql`${connectors.tags} ? ${key}` : sql`${connectors.tags} ->> ${key} = ${input.tag.slice(at + 1)}`;
    where.push(tag);
  }
  if (input.cursor) where.push(gt(connectors.id, input.cursor));
  const rows = await db
    .select()
    .from(connectors)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(connectors.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const secrets = await secretNamesOf(
    db,
    page.map((r) => r.id),
  );
  return {
    connectors: page.map((row) => publicConnector(row, secrets.get(row.id) ?? [])),
    nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}
