import type { RequestPlan } from "@ib/core/expressions";
import { type Connector, connectors, type Executor } from "@ib/db";
import { inArray } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import { loadConnectorSecrets, SecretDecryptError } from "../verbs/secrets/load-connector-secrets.ts";

export interface CachedConnector {
  connector: Connector;
  /** Decrypted secrets, or the decryption error that stopped them (reported per delivery). */
  secrets: Record<string, string> | Error;
  /** Its `{% … %}` expressions, compiled once per connector version (kept across reloads by the app context). */
  plan: RequestPlan;
}

/**
 * Connectors and their decrypted secrets, kept for `ttlMs` so the worker does not re-read them for every
 * delivery; an edit (or a rotated secret) takes effect within `ttlMs`. Secrets live only in this process's
 * memory. A missing entry after a load means the connector was deleted.
 */
export class ConnectorCache {
  private entries = new Map<string, { value: CachedConnector | null; at: number }>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly ttlMs = 1000,
  ) {}

  async getMany(ids: Iterable<string>, db: Executor = this.ctx.db): Promise<Map<string, CachedConnector | null>> {
    const now = Date.now();
    const out = new Map<string, CachedConnector | null>();
    const stale: string[] = [];
    for (const id of new Set(ids)) {
      const entry = this.entries.get(id);
      if (entry && now - entry.at < this.ttlMs) out.set(id, entry.value);
      else stale.push(id);
    }
    if (stale.length > 0) {
      const rows = await db.select().from(connectors).where(inArray(connectors.id, stale));
      const loaded = await Promise.all(
        rows.map(async (connector): Promise<CachedConnector> => {
          try {
            const secrets = await loadConnectorSecrets({
              ctx: { ...this.ctx, db },
              input: { connectorId: connector.id },
            });
            return { connector, secrets, plan: this.ctx.app.compiled.plan(connector) };
          } catch (error) {
            // A secret that does not decrypt fails this connector's deliveries, with the reason. A failed
            // query is not theirs to pay for: it fails the load, and the worker hands the batch back.
            if (!(error instanceof SecretDecryptError)) throw error;
            return { connector, secrets: error, plan: this.ctx.app.compiled.plan(connector) };
          }
        }),
      );
      const byId = new Map(loaded.map((c) => [c.connector.id, c]));
      for (const id of stale) {
        const value = byId.get(id) ?? null;
        this.entries.set(id, { value, at: now });
        out.set(id, value);
      }
    }
    return out;
  }

  /** The cached connector without a database read (undefined when not cached or expired). */
  peek(id: string): CachedConnector | null | undefined {
    const entry = this.entries.get(id);
    return entry && Date.now() - entry.at < this.ttlMs ? entry.value : undefined;
  }

  /** Drop one connector, so the next look reads it again (the worker just changed it). */
  forget(id: string): void {
    this.entries.delete(id);
  }

  clear(): void {
    this.entries.clear();
  }
}
