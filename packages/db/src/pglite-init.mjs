// Creates a fresh PGlite data directory (initdb), run as a child process by `createDb` (pglite-init.ts).
// Plain JavaScript, so it needs no TypeScript loader: `node pglite-init.mjs <dir>`.
import { PGlite } from "@electric-sql/pglite";

const dir = process.argv[2];
if (!dir) {
  process.stderr.write("usage: node pglite-init.mjs <data dir>\n");
  process.exit(2);
}
const db = await PGlite.create({ dataDir: dir });
await db.close();
