import { type Executor, sourceSecrets, sources } from "@ib/db";
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

export async function listSources({ ctx }: { ctx: ServiceContext }): Promise<PublicSource[]> {
  const rows = await ctx.db.select().from(sources).orderBy(desc(sources.createdAt)).limit(1000);
  const secrets = await secretsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => publicSource(r, secrets.get(r.id) ?? []));
}

export async function getSource({ ctx, input }: { ctx: ServiceContext; input: { id: string } }): Promise<PublicSource> {
  const { id } = input;
  const [row] = await ctx.db.select().from(sources).where(eq(sources.id, id));
  if (!row) throw new NotFound(`Source ${id} does not exist`);
  const secrets = await secretsOf(ctx.db, [id]);
  return publicSource(row, secrets.get(id) ?? []);
}
