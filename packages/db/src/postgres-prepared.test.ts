import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { type Database, execute } from "./client.ts";
import { prepared, prepareMarkedStatements } from "./postgres-prepared.ts";
import * as schema from "./schema/index.ts";

// On PostgreSQL only (PGlite prepares every statement itself: pglite-statements.test.ts).
describe.skipIf(!process.env.TEST_DATABASE_URL)("statements marked prepared on PostgreSQL", () => {
  it("prepares the marked statement once per connection and leaves the others unprepared", async () => {
    // One connection, so the session that ran the statements is the one asked about them.
    const client = postgres(process.env.TEST_DATABASE_URL as string, { max: 1, onnotice: () => {} });
    prepareMarkedStatements(client);
    const db = drizzle({ client, schema }) as unknown as Database;
    try {
      for (let i = 0; i < 3; i++) {
        const [marked] = await execute<{ n: number }>(db, prepared(sql`select ${i}::int + 1 as n /* marked */`));
        expect(marked?.n).toBe(i + 1);
        const [plain] = await execute<{ n: number }>(db, sql`select ${i}::int + 2 as n /* plain */`);
        expect(plain?.n).toBe(i + 2);
      }
      const statements = await execute<{ statement: string }>(db, sql`select statement from pg_prepared_statements`);
      const texts = statements.map((s) => s.statement);
      expect(texts.filter((t) => t.includes("/* marked */"))).toHaveLength(1);
      expect(texts.filter((t) => t.includes("/* plain */"))).toHaveLength(0);
    } finally {
      await client.end({ timeout: 5 });
    }
  });
});
