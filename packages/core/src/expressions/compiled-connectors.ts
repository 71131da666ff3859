import { type CompiledFilter, compileFilter } from "../filters/compile.ts";
import type { ExpressionLimits } from "./compile.ts";
import { ExpressionRuntime } from "./functions.ts";
import { RequestPlan, type RequestSpec } from "./plan.ts";

/** What of a connector is compiled: keyed by id and version, so an edit (a new version) compiles afresh. */
export interface CompilableConnector extends RequestSpec {
  id: string;
  version: number;
  filter?: unknown;
}

interface Entry {
  version: number;
  plan?: RequestPlan;
  filter?: CompiledFilter;
}

/**
 * Connectors' expressions and filters compiled once per connector version. Owned by whoever renders or
 * filters (the engine's app context), never by a module; each part is compiled when first needed (ingest
 * needs only filters, the worker only request plans). Bounded: past `maxEntries` it starts over.
 */
export class CompiledConnectors {
  private readonly entries = new Map<string, Entry>();
  private readonly runtime = new ExpressionRuntime();

  constructor(
    private readonly options: {
      limits?: Partial<ExpressionLimits>;
      maxEntries?: number;
      requestTimeoutMs?: number;
      /** `false`: request plans evaluate every expression with JSONata (see `fast-path.ts`). */
      fastPath?: boolean;
    } = {},
  ) {}

  /** The connector's request plan (its `{% … %}` strings compiled). */
  plan(connector: CompilableConnector): RequestPlan {
    const entry = this.entry(connector);
    entry.plan ??= RequestPlan.compile(connector, {
      runtime: this.runtime,
      limits: this.options.limits,
      requestTimeoutMs: this.options.requestTimeoutMs,
      fastPath: this.options.fastPath,
    });
    return entry.plan;
  }

  /** The connector's filter as a predicate (`NO_FILTER` for none). */
  filter(connector: Pick<CompilableConnector, "id" | "version" | "filter">): CompiledFilter {
    const entry = this.entry(connector);
    entry.filter ??= compileFilter(connector.filter, { runtime: this.runtime, limits: this.options.limits });
    return entry.filter;
  }

  get size(): number {
    return this.entries.size;
  }

  private entry(connector: { id: string; version: number }): Entry {
    let entry = this.entries.get(connector.id);
    if (!entry || entry.version !== connector.version) {
      if (this.entries.size >= (this.options.maxEntries ?? 10_000)) this.entries.clear();
      entry = { version: connector.version };
      this.entries.set(connector.id, entry);
    }
    return entry;
  }
}
