import { apiTokens, auditLog, connectors, sources } from "@ib/db";
import { and, desc, inArray, isNotNull, sql } from "drizzle-orm";
import { type ServiceContext, SYSTEM_ACTOR } from "../../context.ts";

/** Which table names an id, by its prefix (`@ib/core` ids). */
const TABLES = { con: connectors, tok: apiTokens, src: sources } as const;

const prefixOf = (id: string) => id.slice(0, id.indexOf("_")) as keyof typeof TABLES;

/**
 * The names people know for the ids in a page of audit entries: a connector's, a token's or a source's
 * name now, or, once it is deleted, the last name the audit log recorded for it (`details.name`). One
 * query per table and one for the history, whatever the page size. `system` is the engine itself.
 */
export async function auditNames({ ctx, input }: { ctx: ServiceContext; input: { ids: Iterable<string | null> } }) {
  const { ids } = input;
  const names = new Map<string, string>();
  const wanted = new Set<string>();
  for (const id of ids) {
    if (id === SYSTEM_ACTOR.tokenId) names.set(id, SYSTEM_ACTOR.name);
    else if (id && prefixOf(id) in TABLES) wanted.add(id);
  }
  if (wanted.size === 0) return names;

  await Promise.all(
    Object.entries(TABLES).map(async ([prefix, table]) => {
      const some = [...wanted].filter((id) => prefixOf(id) === prefix);
      if (some.length === 0) return;
      const rows = await ctx.db.select({ id: table.id, name: table.name }).from(table).where(inArray(table.id, some));
      for (const row of rows) names.set(row.id, row.name);
    }),
  );

  const gone = [...wanted].filter((id) => !names.has(id));
  if (gone.length) {
    const recorded = sql<string>`${auditLog.details}->>'name'`;
    const rows = await ctx.db
      .selectDistinctOn([auditLog.target], { target: auditLog.target, name: recorded })
      .from(auditLog)
      .where(and(inArray(auditLog.target, gone), isNotNull(recorded)))
      .orderBy(auditLog.target, desc(auditLog.seq));
    for (const row of rows) if (row.target && row.name) names.set(row.target, row.name);
  }
  return names;
}
