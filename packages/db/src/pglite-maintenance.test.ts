import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maintain } from "./pglite-maintenance.ts";

describe("PGlite maintenance (autovacuum's rule, which single-user PostgreSQL does not run)", () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create({});
    await db.exec(`create table churn (id int primary key, v text);
      create table grows (id int primary key);
      create table quiet (id int primary key);
      insert into churn select g, 'x' from generate_series(1, 1000) g;
      insert into quiet select g from generate_series(1, 1000) g;`);
    await maintain(db); // first analysis of everything
  });
  afterAll(() => db.close());

  const dead = async (table: string) => {
    await db.query("select pg_stat_force_next_flush()");
    const { rows } = await db.query<{ n: number }>(
      "select n_dead_tup::int as n from pg_stat_user_tables where relname = $1",
      [table],
    );
    return rows[0]?.n ?? -1;
  };

  it("vacuums a table whose dead rows passed 50 + 20 % of its live rows, analyses one that changed, leaves the rest", async () => {
    await db.exec("update churn set v = 'y'");
    await db.exec("insert into grows select g from generate_series(1, 500) g");
    expect(await dead("churn")).toBeGreaterThan(250);
    const done = await maintain(db);
    expect(done.vacuumed).toEqual(["public.churn"]);
    expect(done.analyzed).toEqual(["public.grows"]);
    expect(await dead("churn")).toBe(0);
    const { rows } = await db.query<{ n: number }>("select reltuples::int as n from pg_class where relname = 'grows'");
    expect(rows[0]?.n).toBe(500);
    // Below the thresholds: nothing to do.
    await db.exec("update churn set v = 'z' where id <= 100");
    expect(await maintain(db)).toEqual({ vacuumed: [], analyzed: [] });
  });
});
