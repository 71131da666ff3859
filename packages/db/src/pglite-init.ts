import { spawn } from "node:child_process";
import { existsSync, readdirSync, renameSync, rmdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The child's script, beside this file. Resolved when a data directory is created, not when the module is
 * loaded: apps that bundle `@ib/db` without ever creating a PGlite directory (the control plane, built by
 * Next.js) must be able to load it, and their bundler rewrites `new URL("…", import.meta.url)` into an asset
 * reference that `fileURLToPath` refuses.
 */
function initScript(): string {
  return join(dirname(fileURLToPath(import.meta.url)), "pglite-init.mjs");
}

/**
 * Create a PGlite data directory in a child process, before the engine opens it.
 *
 * PGlite initialises a new directory by starting a second PostgreSQL instance (and initdb's own WASM
 * module) beside the first, each with a heap of at least 128 MB that WebAssembly never gives back: a
 * first start peaked at ~900 MB of RSS and stayed near 750 MB, against ~390 MB for opening an existing
 * directory. A child process takes that peak and exits; the engine then opens a finished directory.
 * The directory is built under `<dataDir>.init` and renamed into place, so a start killed half-way
 * never leaves a half-made database behind. Resolves to false (the caller lets PGlite initialise in
 * process, as before) when the directory is not ours to create or the child could not run.
 *
 * Call with the data directory's lock held.
 */
export async function initPgliteDataDir(dataDir: string): Promise<boolean> {
  if (existsSync(join(dataDir, "PG_VERSION"))) return true;
  // Something else is in there: leave it to PGlite, which refuses or resumes it as it always has.
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) return false;
  const staging = `${dataDir.replace(/\/+$/, "")}.init`;
  rmSync(staging, { recursive: true, force: true });
  try {
    await runInit(staging);
    if (!existsSync(join(staging, "PG_VERSION"))) return false;
    if (existsSync(dataDir)) rmdirSync(dataDir);
    renameSync(staging, dataDir);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function runInit(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [initScript(), dir], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4000);
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`PGlite initdb exited with ${code ?? signal}: ${stderr}`));
    });
  });
}
