import { PGlite, types } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPreparedStatements } from "./pglite-statements.ts";

/** The same queries through PGlite's own `query` and through the prepared path must give the same answers. */
describe("PGlite prepared statements", () => {
  let plain: PGlite;
  let prepared: PGlite;

  beforeAll(async () => {
    plain = await PGlite.create({});
    prepared = await PGlite.create({});
    installPreparedStatements(prepared);
    for (const db of [plain, prepared]) {
      await db.exec(`create table t (id int primary key, name text, doc jsonb, tags text[], at timestamptz, n numeric);
        insert into t values (1, 'one', '{"a": [1, 2]}', '{x,y}', '2026-01-02T03:04:05Z', 1.5), (2, null, null, null, null, null);`);
    }
  });
  afterAll(async () => {
    await plain.close();
    await prepared.close();
  });

  it("returns the rows, fields and counts PGlite's own query returns, in both row modes and with custom parsers", async () => {
    const drizzleLike = { [types.TIMESTAMPTZ]: (v: string) => v };
    const cases: [string, unknown[], Parameters<PGlite["query"]>[2]][] = [
      ["select * from t order by id", [], undefined],
      ["select * from t where id = $1", [1], { rowMode: "array" }],
      ["select at, doc from t where id = any($1::int[])", [[1, 2]], { parsers: drizzleLike }],
      ["select $1::jsonb as j, $2::text as s, $3::int as n", [{ k: "v" }, null, 7], undefined],
      ["update t set name = name where id > $1", [0], undefined],
      ["insert into t (id) values ($1), ($2) on conflict do nothing", [1, 3], undefined],
    ];
    for (const [text, params, options] of cases) {
      // Twice: the first run prepares the statement, the second reuses it.
      for (let i = 0; i < 2; i++) {
        const want = await plain.query(text, params, options);
        const got = await prepared.query(text, params, options);
        expect(got.rows, text).toEqual(want.rows);
        expect(got.fields, text).toEqual(want.fields);
        expect(got.affectedRows, text).toBe(want.affectedRows);
      }
    }
  });

  it("reports a database error with its code and the query, and goes on working", async () => {
    const error = await prepared.query("insert into t (id) values ($1)", [1]).catch((e) => e);
    expect(error.code).toBe("23505");
    expect(error.query).toBe("insert into t (id) values ($1)");
    const syntax = await prepared.query("selec 1").catch((e) => e);
    expect(syntax.code).toBe("42601");
    expect((await prepared.query("select count(*)::int as n from t")).rows).toEqual([{ n: 3 }]);
  });

  it("runs inside transactions: committed, rolled back, and aborted by an error", async () => {
    await prepared.transaction(async (tx) => {
      await tx.query("insert into t (id, name) values ($1, $2)", [10, "ten"]);
    });
    await prepared
      .transaction(async (tx) => {
        await tx.query("insert into t (id, name) values ($1, $2)", [11, "eleven"]);
        await tx.query("insert into t (id) values ($1)", [10]);
      })
      .catch(() => {});
    await prepared.transaction(async (tx) => {
      await tx.query("insert into t (id, name) values ($1, $2)", [12, "twelve"]);
      await tx.rollback();
    });
    const { rows } = await prepared.query<{ id: number }>("select id from t where id >= $1 order by id", [10]);
    expect(rows.map((r) => r.id)).toEqual([10]);
  });

  it("prepares again when a table's change alters what a kept statement returns", async () => {
    await prepared.exec("create table s (id int); insert into s values (1)");
    expect((await prepared.query("select * from s")).rows).toEqual([{ id: 1 }]);
    expect((await prepared.query("select * from s")).rows).toEqual([{ id: 1 }]);
    await prepared.exec("alter table s add column v text default 'x'");
    expect((await prepared.query("select * from s")).rows).toEqual([{ id: 1, v: "x" }]);
  });

  it("keeps a bounded number of statements, closing the least recently used", async () => {
    for (let i = 0; i < 300; i++) await prepared.query(`select ${i}::int as n where $1::int = 1`, [1]);
    const { rows } = await prepared.query<{ n: number }>("select count(*)::int as n from pg_prepared_statements");
    expect(rows[0]?.n).toBeLessThanOrEqual(128);
    expect((await prepared.query("select 5::int as n where $1::int = 1", [1])).rows).toEqual([{ n: 5 }]);
  });
});
