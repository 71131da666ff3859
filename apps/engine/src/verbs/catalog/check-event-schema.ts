import type { SchemaWarning } from "@ib/core/contracts/catalog";
import { eventTypes } from "@ib/db";
import { eq } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { SchemaValidationFailed } from "../../lib/domain-errors.ts";
import { type CompiledSchema, compileSchema } from "./compile-schema.ts";
import { CATALOG_CHANNEL, type CatalogEntry } from "./schema-cache.ts";

/** What the catalog says about one event: its flag for the events table and the answer's warnings. */
export interface SchemaCheck {
  /** true valid, false invalid (warn mode), null: not checked (no schema, or validation off). */
  schemaValid: boolean | null;
  warnings: SchemaWarning[];
}

const UNCHECKED: SchemaCheck = { schemaValid: null, warnings: [] };

/**
 * The ingest hook: check one event's payload against its name's schema. `enforce` and a mismatch throw
 * `SchemaValidationFailed` (400, `details.issues`), so nothing is stored; `warn` answers a warning and
 * `schemaValid: false`. The index and the compiled schemas come from the context's cache, so a name
 * without an entry costs a map lookup.
 */
export async function checkEventSchema({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { name: string; payload: unknown };
}): Promise<SchemaCheck> {
  const [result] = await checkEventSchemas({ ctx, input: { events: [input] } });
  if (result instanceof SchemaValidationFailed) throw result;
  return result ?? UNCHECKED;
}

/** The same for a batch: per event a check, or the refusal of that event alone. */
export async function checkEventSchemas({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { events: { name: string; payload: unknown }[] };
}): Promise<(SchemaCheck | SchemaValidationFailed)[]> {
  const index = await catalogIndex(ctx);
  if (index.size === 0) return input.events.map(() => UNCHECKED);
  const out: (SchemaCheck | SchemaValidationFailed)[] = [];
  for (const event of input.events) {
    const entry = index.get(event.name);
    if (!entry || entry.validation === "off") {
      out.push(UNCHECKED);
      continue;
    }
    const schema = await compiledSchemaOf(ctx, entry);
    const issues = schema ? schema.check(event.payload) : [];
    if (issues.length === 0) {
      out.push(schema ? { schemaValid: true, warnings: [] } : UNCHECKED);
      continue;
    }
    const message = `The payload does not match the schema of ${entry.name} (version ${entry.version})`;
    if (entry.validation === "enforce") {
      out.push(new SchemaValidationFailed(message, { eventType: entry.name, version: entry.version, issues }));
    } else {
      out.push({ schemaValid: false, warnings: [{ code: "SCHEMA_VALIDATION_FAILED", message, issues }] });
    }
  }
  return out;
}

/** The columns the catalog adds to a stored event (`ingestEvents` spreads them into its row). */
export function catalogColumns(item: {
  schemaValid?: boolean | null;
  event: { attributes: Record<string, unknown> };
}): { schemaValid: boolean | null; dataschema: string | null } {
  const dataschema = item.event.attributes.dataschema;
  return {
    schemaValid: item.schemaValid ?? null,
    dataschema: typeof dataschema === "string" && dataschema.length <= 2000 ? dataschema : null,
  };
}

/** The catalog index (name → version and mode), from the context's cache. */
export function catalogIndex(ctx: ServiceContext): Promise<Map<string, CatalogEntry>> {
  const cache = ctx.app.catalog;
  if (!cache.subscribed) {
    cache.subscribed = ctx.app.dbHandle
      .listen(CATALOG_CHANNEL, () => cache.invalidate())
      .then(() => {})
      .catch((error) => {
        ctx.log.warn({ err: error }, "catalog: cannot listen for changes; relying on the periodic check");
      });
  }
  return cache.entries(() =>
    ctx.app.db
      .select({
        name: eventTypes.name,
        version: eventTypes.version,
        validation: eventTypes.validation,
        schemaFormat: eventTypes.schemaFormat,
      })
      .from(eventTypes),
  );
}

/** The compiled schema of an entry (null if the type was deleted meanwhile). */
export async function compiledSchemaOf(ctx: ServiceContext, entry: CatalogEntry): Promise<CompiledSchema | null> {
  try {
    return await ctx.app.catalog.schema(entry, async () => {
      const [row] = await ctx.app.db
        .select({ schema: eventTypes.schema, version: eventTypes.version, schemaFormat: eventTypes.schemaFormat })
        .from(eventTypes)
        .where(eq(eventTypes.name, entry.name));
      if (!row) throw new TypeGone();
      // Changed since the index was read: use the newer schema, and have the index reloaded.
      if (row.version !== entry.version) ctx.app.catalog.invalidate();
      return compileSchema(row.schemaFormat, row.schema);
    });
  } catch (error) {
    if (error instanceof TypeGone) {
      ctx.app.catalog.invalidate();
      return null;
    }
    // A stored schema always compiled when it was saved; if this engine's libraries disagree, say so and
    // let the event through rather than refuse every event of the name.
    ctx.log.error(
      { err: error, eventType: entry.name, version: entry.version },
      "catalog: stored schema does not compile",
    );
    return null;
  }
}

class TypeGone extends Error {}

/** After a change to the catalog: forget it here, and tell the other processes. */
export async function announceCatalogChange(ctx: ServiceContext, name: string): Promise<void> {
  ctx.app.catalog.invalidate();
  await ctx.app.dbHandle
    .notify(CATALOG_CHANNEL, name)
    .catch((error) => ctx.log.warn({ err: error }, "catalog: could not notify other processes"));
}

/**
 * A catalog refusal as one line for where a caller cannot answer with the envelope (an inbound webhook's or
 * a broker message's error): the message and its first issues — paths and rules, never payload values.
 */
export function describeSchemaRefusal(error: SchemaValidationFailed): string {
  const issues = (error.details?.issues as { path?: string; message?: string }[] | undefined) ?? [];
  const first = issues
    .slice(0, 3)
    .map((issue) => `${issue.path || "/"} ${issue.message ?? ""}`.trim())
    .join("; ");
  return `${error.message}${first ? `: ${first}` : ""}`;
}
