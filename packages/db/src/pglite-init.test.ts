import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, execute } from "./client.ts";
import { initPgliteDataDir } from "./pglite-init.ts";

describe("a new PGlite data directory is made in a child process", () => {
  const root = mkdtempSync(join(tmpdir(), "ib-pglite-init-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("creates the directory, leaves no staging directory behind, and the database opens and keeps data", async () => {
    const dir = join(root, "fresh");
    expect(await initPgliteDataDir(dir)).toBe(true);
    expect(existsSync(join(dir, "PG_VERSION"))).toBe(true);
    expect(readdirSync(root)).toEqual(["fresh"]);
    const first = await createDb({ dataDir: dir });
    // The buffer cache lives in the WASM heap, which never shrinks: kept small (client.ts).
    expect(await execute(first.db, sql`show shared_buffers`)).toEqual([{ shared_buffers: "32MB" }]);
    await first.db.execute(sql`create table kept (v text)`);
    await first.db.execute(sql`insert into kept values ('x')`);
    await first.close();
    const again = await createDb({ dataDir: dir });
    expect(await execute(again.db, sql`select v from kept`)).toEqual([{ v: "x" }]);
    await again.close();
  });

  it("fills an empty directory made beforehand, and leaves an existing database as it is", async () => {
    const dir = join(root, "empty");
    mkdirSync(dir);
    expect(await initPgliteDataDir(dir)).toBe(true);
    expect(existsSync(join(dir, "PG_VERSION"))).toBe(true);
    writeFileSync(join(dir, "marker"), "mine");
    expect(await initPgliteDataDir(dir)).toBe(true);
    expect(existsSync(join(dir, "marker"))).toBe(true);
  });

  it("does not touch a non-empty directory that is not a database (PGlite decides, as before)", async () => {
    const dir = join(root, "other");
    mkdirSync(dir);
    writeFileSync(join(dir, "notes.txt"), "not a database");
    expect(await initPgliteDataDir(dir)).toBe(false);
    expect(readdirSync(dir)).toEqual(["notes.txt"]);
  });
});
