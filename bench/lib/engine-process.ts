import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@ib/testing";
import { engineCommand } from "../../apps/engine/scripts/build.mjs";
import { until } from "./stats.ts";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Peak resident set size of a live process, in MiB (Linux: VmHWM in /proc/<pid>/status). */
export function peakRssMb(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a live process has used so far (Linux: /proc/<pid>/stat). */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

export interface EngineProcess {
  child: ChildProcess;
  pid: number;
  baseUrl: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/**
 * The engine as its own process, exactly as `npm start` runs it: `node apps/engine/dist/main.<hash>.mjs`,
 * the prebuilt engine (rebuilt first if a source changed), or `node --import tsx apps/engine/src/main.ts`
 * when it cannot be built. Node itself is the child (not a wrapper such as the tsx CLI), so signals and
 * /proc reach the engine.
 */
export async function startEngine(
  env: Record<string, string>,
  options: { role?: string; nodeArgs?: string[]; readyTimeoutMs?: number } = {},
): Promise<EngineProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  const engine = await engineCommand({
    nodeArgs: options.nodeArgs,
    args: ["--role", options.role ?? "all"],
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const child = spawn(engine.command, engine.args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const keep = (chunk: Buffer) => {
    log += chunk.toString("utf8");
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  if (options.role !== "worker") {
    await until(
      async () => {
        if (child.exitCode !== null) throw new Error(`engine exited with ${child.exitCode}:\n${log}`);
        const res = await fetch(`${baseUrl}/healthz`);
        return res.ok;
      },
      { timeoutMs: options.readyTimeoutMs ?? 60_000, intervalMs: 100, what: "the engine to answer /healthz" },
    ).catch((error) => {
      child.kill("SIGKILL");
      throw new Error(`${error.message}\n${log.slice(-4000)}`);
    });
  }
  return {
    child,
    pid: child.pid as number,
    baseUrl,
    output: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
