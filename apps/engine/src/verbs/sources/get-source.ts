import { type Executor, type SourceRuntime, sourceRuntime, sourceSecrets, sources } from "@ib/db";
import { desc, eq, inArray } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { NotFound } from "../../lib/domain-errors.ts";
import { type PublicSource, publicSource, type SourceSecretRow } from "./source-view.ts";

async function secretsOf(db: Executor, ids: string[]) {
  const bySource = new Map<string, SourceSecretRow[]>();
  if (ids.length === 0) return bySource;
  const rows = await db
    .select({
      id: sourceSecrets.id,
      sourceId: sourceSecrets.sourceId,
      name: sourceSecrets.name,
      createdAt: sourceSecrets.createdAt,
      expiresAt: sourceSecrets.expiresAt,
    })
    .from(sourceSecrets)
    .where(inArray(sourceSecrets.sourceId, ids));
  for (const { sourceId, ...secret } of rows) {
    const list = bySource.get(sourceId) ?? [];
    list.push(secret);
    bySource.set(sourceId, list);
  }
  return bySource;
}

/** The broker consumers' last reports, by source. */
async function runtimesOf(db: Executor, ids: string[]): Promise<Map<string, SourceRuntime>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(sourceRuntime).where(inArray(sourceRuntime.sourceId, ids));
  return new Map(rows.map((r) => [r.sourceId, r]));
}

export async function listSources({ ctx }: { ctx: ServiceContext }): Promise<PublicSource[]> {
  const rows = await ctx.db.select().from(sources).orderBy(desc(sources.createdAt)).limit(1000);
  const ids = rows.map((r) => r.id);
  const secrets = await secretsOf(ctx.db, ids);
  const runtimes = await runtimesOf(
    ctx.db,
    rows.filter((r) => r.kind !== "webhook").map((r) => r.id),
  );
  return rows.map((r) => publicSource(r, secrets.get(r.id) ?? [], runtimes.get(r.id)));
}

export async function getSource({ ctx, input }: { ctx: ServiceContext; input: { id: string } }): Promise<PublicSource> {
  const { id } = input;
  const [row] = await ctx.db.select().from(sources).where(eq(sources.id, id));
  if (!row) throw new NotFound(`Source ${id} does not exist`);
  const secrets = await secretsOf(ctx.db, [id]);
  const runtimes = row.kind === "webhook" ? new Map() : await runtimesOf(ctx.db, [id]);
  return publicSource(row, secrets.get(id) ?? [], runtimes.get(id));
}
