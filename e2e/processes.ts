// Processes the e2e tests start (the engine, the Next.js apps, `npm start`): output kept for the
// failure message, the whole process group stopped at the end.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitFor } from "@ib/testing";

export const repo = join(import.meta.dirname, "..");

/** A child process with its output kept (shown when a test fails) and killed with its group; an `undefined` variable is unset. */
export function startProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string | undefined> },
) {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return {
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-(child.pid as number), "SIGTERM");
      } catch {}
      const timer = setTimeout(() => {
        try {
          process.kill(-(child.pid as number), "SIGKILL");
        } catch {}
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export type StartedProcess = ReturnType<typeof startProcess>;

/**
 * The engine (`tsx apps/engine/src/main.ts`) on a free port with a fresh IB_DATA_DIR (PGlite), `env`
 * on top; resolved once /healthz answers. `stop` ends it and removes its data.
 */
export async function startEngine(env: Record<string, string | undefined> = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "ib-engine-e2e-"));
  const proc = startProcess(join(repo, "node_modules", ".bin", "tsx"), [join(repo, "apps/engine/src/main.ts")], {
    cwd: repo,
    env: { PORT: String(port), IB_DATA_DIR: dataDir, LOG_LEVEL: "warn", ...env },
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (proc.child.exitCode !== null) throw new Error(`engine exited:\n${proc.output()}`);
        return (await fetch(`${url}/healthz`)).ok;
      },
      { timeoutMs: 120_000, message: "the engine to start" },
    );
  } catch (error) {
    await stop();
    throw new Error(`${error}\n${proc.output()}`);
  }
  return { url, port, dataDir, child: proc.child, output: proc.output, stop };
}

export type Engine = Awaited<ReturnType<typeof startEngine>>;
