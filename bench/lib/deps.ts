// The bench's own dependencies (bench/ is the workspace package @ib/bench): the contenders and the load
// generator's HTTP client.
import { createRequire } from "node:module";
import * as graphileWorker from "graphile-worker";
import postgresJs from "postgres";
import * as undiciLib from "undici";

export const undici = undiciLib;
export const graphile = graphileWorker;
export const postgres = postgresJs;

const fromGraphile = createRequire(createRequire(import.meta.url).resolve("graphile-worker"));
/** node-postgres, as graphile-worker itself uses it. */
export const pg: { Pool: new (options: { connectionString: string; max?: number }) => PgPool } = fromGraphile("pg");
export interface PgPool {
  on(event: "error", listener: (error: Error) => void): void;
  on(event: "connect", listener: (client: { on(event: "error", listener: () => void): void }) => void): void;
  end(): Promise<void>;
}
