// bench/ is not a workspace package (it has no dependencies of its own): it borrows the engine's and
// the db package's, resolved from their folders, so `npm run bench` needs nothing extra installed.
import { createRequire } from "node:module";

const fromEngine = createRequire(new URL("../../apps/engine/package.json", import.meta.url));
const fromDb = createRequire(new URL("../../packages/db/package.json", import.meta.url));

export const undici: typeof import("../../apps/engine/node_modules/undici/index.js") = fromEngine("undici");
export const graphile: typeof import("../../apps/engine/node_modules/graphile-worker/dist/index.js") =
  fromEngine("graphile-worker");
export const postgres: typeof import("../../packages/db/node_modules/postgres/types/index.js") = fromDb("postgres");

const fromGraphile = createRequire(fromEngine.resolve("graphile-worker"));
/** node-postgres, as graphile-worker itself uses it. */
export const pg: { Pool: new (options: { connectionString: string; max?: number }) => PgPool } = fromGraphile("pg");
export interface PgPool {
  on(event: "error", listener: (error: Error) => void): void;
  on(event: "connect", listener: (client: { on(event: "error", listener: () => void): void }) => void): void;
  end(): Promise<void>;
}
