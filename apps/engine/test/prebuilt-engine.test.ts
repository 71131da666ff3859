// The prebuilt engine (apps/engine/scripts/build.mjs): rebuilt exactly when a bundled source changed, and
// the bundle of the real engine starts, migrates, answers and stops like the sources do. Built into
// temporary directories: the repository's own dist/ is left to `npm start` and the benchmark.
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { freePort, waitFor } from "@ib/testing";
import { afterAll, describe, expect, it } from "vitest";
import { ensureEngineBuilt } from "../scripts/build.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const run = promisify(execFile);
const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("prebuilt engine", () => {
  it("rebuilds when a bundled source changes, and only then", async () => {
    const src = tempDir("ib-prebuilt-src-");
    const outDir = tempDir("ib-prebuilt-out-");
    writeFileSync(join(src, "entry.ts"), 'import { value } from "./value.ts";\nconsole.log(value satisfies string);\n');
    writeFileSync(join(src, "value.ts"), 'export const value: string = "first";\n');
    const built: string[] = [];
    const options = { entryPoint: join(src, "entry.ts"), outDir, log: (line: string) => built.push(line) };

    const first = await ensureEngineBuilt(options);
    expect(first.entry, first.reason).toBeTruthy();
    expect((await run(process.execPath, [first.entry as string])).stdout.trim()).toBe("first");
    expect(built).toHaveLength(1);

    // Unchanged: the same bundle, no build.
    expect((await ensureEngineBuilt(options)).entry).toBe(first.entry);
    expect(built).toHaveLength(1);

    // A file the entry imports changes: rebuilt under a new name, and the new bundle runs the change.
    writeFileSync(join(src, "value.ts"), 'export const value: string = "second";\n');
    const second = await ensureEngineBuilt(options);
    expect(built).toHaveLength(2);
    expect(built[1]).toMatch(/value\.ts changed/);
    expect(second.entry).not.toBe(first.entry);
    expect((await run(process.execPath, [second.entry as string])).stdout.trim()).toBe("second");

    // A build that fails says why (the caller then runs the sources with tsx).
    writeFileSync(join(src, "value.ts"), 'export const value: string = "third"\nexport {\n');
    const failed = await ensureEngineBuilt(options);
    expect(failed.entry).toBeNull();
    expect(failed.reason).toMatch(/the build failed/);
  });

  it("the bundled engine starts on the embedded database, answers, serves its docs and stops on SIGTERM", async () => {
    const outDir = tempDir("ib-prebuilt-engine-");
    const built = await ensureEngineBuilt({ outDir, log: () => {} });
    expect(built.entry, built.reason).toBeTruthy();
    const port = await freePort();
    const token = `ib_test_${randomBytes(16).toString("hex")}`;
    const child = spawn(process.execPath, ["--enable-source-maps", built.entry as string, "--role", "all"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/tmp",
        NODE_ENV: "test",
        LOG_LEVEL: "warn",
        PORT: String(port),
        IB_DATA_DIR: tempDir("ib-prebuilt-data-"),
        IB_ADMIN_TOKEN: token,
        IB_MASTER_KEY: randomBytes(32).toString("base64"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`the engine exited with ${child.exitCode}:\n${output}`);
          return (await fetch(`${base}/healthz`).catch(() => undefined))?.ok === true;
        },
        { timeoutMs: 60_000 },
      );
      // Migrated (drizzle/ found from the bundled @ib/db) and answering an authenticated route.
      const list = await fetch(`${base}/admin/integration-builder/connectors`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(list.status).toBe(200);
      // The API reference's script is found from the bundle too.
      const scalar = await fetch(`${base}/docs/scalar.js`);
      expect(scalar.status).toBe(200);
      expect((await scalar.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 120_000);
});
