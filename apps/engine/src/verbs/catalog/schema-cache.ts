import type { SchemaFormat, ValidationMode } from "@ib/core/contracts/catalog";
import type { CompiledSchema } from "./compile-schema.ts";

/** The notification channel a catalog change is announced on (PostgreSQL: to every engine process). */
export const CATALOG_CHANNEL = "ib_catalog";

// How stale the index may be when a NOTIFY was missed (a dropped listen connection): the fallback check.
const MAX_AGE_MS = 2_000;

/** What ingest needs to know about a name without loading its schema. */
export interface CatalogEntry {
  name: string;
  version: number;
  validation: ValidationMode;
  schemaFormat: SchemaFormat;
}

/**
 * The catalog as ingest sees it, owned by the app context (`ctx.catalog`, built by `createContext`): the
 * index of event types (name → version and mode) and validators compiled once per (name, version).
 *
 * A change made in this process invalidates it at once; other processes hear it on CATALOG_CHANNEL
 * (PostgreSQL NOTIFY), and reload the index at least every MAX_AGE_MS whatever happens. A compiled
 * validator is keyed by version, so a stale one is never used for a newer version: the index decides.
 */
export class SchemaCache {
  private index: Map<string, CatalogEntry> | undefined;
  private loadedAt = 0;
  private loading: Promise<Map<string, CatalogEntry>> | undefined;
  private generation = 0;
  private readonly compiled = new Map<string, { version: number; schema: Promise<CompiledSchema> }>();
  /** Set once this cache listens to CATALOG_CHANNEL. */
  subscribed: Promise<void> | undefined;

  constructor(private readonly maxAgeMs = MAX_AGE_MS) {}

  /** The index, loaded with `load` when there is none or it is older than the allowed age. */
  async entries(load: () => Promise<CatalogEntry[]>, now = Date.now()): Promise<Map<string, CatalogEntry>> {
    if (this.index && now - this.loadedAt < this.maxAgeMs) return this.index;
    if (!this.loading) {
      const generation = this.generation;
      this.loading = load()
        .then((rows) => {
          const index = new Map(rows.map((r) => [r.name, r]));
          // An invalidation while this was loading wins: keep the answer for this call only.
          if (generation === this.generation) {
            this.index = index;
            this.loadedAt = Date.now();
            this.dropStale(index);
          }
          return index;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
  }

  /** The compiled schema of this version of the entry, compiled with `compile` on first use. */
  schema(entry: CatalogEntry, compile: () => Promise<CompiledSchema>): Promise<CompiledSchema> {
    const hit = this.compiled.get(entry.name);
    if (hit && hit.version === entry.version) return hit.schema;
    const schema = compile();
    this.compiled.set(entry.name, { version: entry.version, schema });
    // A failed compile is not cached: the next event tries again.
    schema.catch(() => {
      if (this.compiled.get(entry.name)?.schema === schema) this.compiled.delete(entry.name);
    });
    return schema;
  }

  /** Forget the index (and so re-check every version) now. */
  invalidate(): void {
    this.generation++;
    this.index = undefined;
    this.loadedAt = 0;
  }

  private dropStale(index: Map<string, CatalogEntry>) {
    for (const [name, hit] of this.compiled) {
      if (index.get(name)?.version !== hit.version) this.compiled.delete(name);
    }
  }
}
