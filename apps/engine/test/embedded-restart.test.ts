// Restarting the engine on its embedded database right after `kill -9`. A killed process stays a zombie
// until its parent reaps it, and a zombie still answers `kill(pid, 0)`: the lock it left must count as
// released all the same. Here the engine's parent never reaps (as PID 1 in a container without an init,
// or a supervisor that is busy), so every restart below meets the zombie of the engine it replaces.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, waitFor } from "@ib/testing";
import { afterAll, describe, expect, it } from "vitest";
import { countingDestination } from "./engine-processes.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const BASE = "/admin/integration-builder";

/** The state letter of /proc/<pid>/stat (R, S, Z...), or undefined when there is no such process. */
function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
  } catch {
    return undefined;
  }
}

// Spawns the engine (its own process group, output to a file) and then blocks its event loop for good,
// so it never reaps the engine: a killed engine stays a zombie until this parent is killed.
const NON_REAPING_PARENT = `
const { spawn } = require("node:child_process");
const { openSync, writeFileSync } = require("node:fs");
const out = openSync(process.env.ENGINE_LOG, "a");
const child = spawn(process.execPath, ["--import", "tsx", "apps/engine/src/main.ts"], {
  cwd: process.env.ENGINE_CWD, detached: true, stdio: ["ignore", out, out], env: process.env,
});
writeFileSync(process.env.ENGINE_PID_FILE, String(child.pid));
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
`;

interface Engine {
  pid: number;
  baseUrl: string;
  log(): string;
}

describe.skipIf(process.platform !== "linux")("embedded database: restart right after kill -9", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ib-restart-"));
  const token = `ib_test_${randomBytes(16).toString("hex")}`;
  const started: { parent: ChildProcess; pidFile: string }[] = [];
  let generation = 0;

  afterAll(async () => {
    // Engines first (their groups), then the parents, whose death hands the zombies over to be reaped.
    for (const { pidFile } of started) killGroup(Number(readIfExists(pidFile)));
    for (const { parent } of started) parent.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts an engine on the shared data dir; resolves once it listens, throws with its log if it exits. */
  async function startEngine(): Promise<Engine> {
    const n = generation++;
    const port = await freePort();
    const logFile = join(dataDir, `engine-${n}.log`);
    const pidFile = join(dataDir, `engine-${n}.pid`);
    const parent = spawn(process.execPath, ["-e", NON_REAPING_PARENT], {
      cwd: ROOT,
      stdio: "ignore",
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/tmp",
        ENGINE_LOG: logFile,
        ENGINE_PID_FILE: pidFile,
        ENGINE_CWD: ROOT,
        NODE_ENV: "test",
        LOG_LEVEL: "info",
        PORT: String(port),
        DATABASE_URL: "",
        IB_DATA_DIR: join(dataDir, "engine"),
        IB_ADMIN_TOKEN: token,
        IB_ALLOW_PRIVATE_DESTINATIONS: "1",
        IB_WORKER_POLL_MS: "100",
        IB_LEASE_MS: "2000",
      },
    });
    started.push({ parent, pidFile });
    const pid = await waitFor(() => Number(readIfExists(pidFile)) || undefined, { message: "the engine's pid" });
    const log = () => readIfExists(logFile);
    const deadline = Date.now() + 60_000;
    while (!log().includes("engine listening")) {
      const state = procState(pid);
      if (state === undefined || state === "Z") throw new Error(`engine ${n} exited:\n${log().slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`engine ${n} did not listen within 60 s:\n${log().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return { pid, baseUrl: `http://127.0.0.1:${port}`, log };
  }

  async function api(engine: Engine, method: string, path: string, body?: unknown) {
    const res = await fetch(`${engine.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as any };
  }

  it("restarts at once after SIGKILL of the process group, 5 times with deliveries in flight; nothing is lost", async () => {
    // Slow answers keep deliveries in flight when the engine is killed.
    const destination = await countingDestination(async (res) => {
      await new Promise((r) => setTimeout(r, 300));
      res.writeHead(200).end("ok");
    });
    try {
      let engine = await startEngine();
      const sourceEvent = `restart.${randomBytes(4).toString("hex")}`;
      const created = await api(engine, "PUT", `${BASE}/connectors`, {
        name: `restart ${sourceEvent}`,
        sourceEvent,
        destination: { url: destination.url, method: "POST" },
        mapping: { eventId: "$.id", n: "$.payload.n" },
        timeoutMs: 10_000,
        retryMaxAttempts: 20,
        retryBackoffBaseMs: 50,
        retryBackoffMaxMs: 300,
      });
      expect(created.status).toBe(201);
      const connectorId = created.json.id as string;

      const accepted = new Set<string>();
      let restarts = 0;
      for (let round = 0; round < 5; round++) {
        const batch = Array.from({ length: 40 }, (_, i) => ({
          id: `r${round}_${i}_${randomBytes(3).toString("hex")}`,
          name: sourceEvent,
          payload: { n: round * 100 + i },
        }));
        const res = await api(engine, "POST", "/v1/events/batch", batch);
        expect(res.status).toBe(202);
        for (const r of res.json.results as { id: string; status: number }[]) if (r.status === 202) accepted.add(r.id);

        await waitFor(() => destination.state.current > 0, { timeoutMs: 20_000, message: "deliveries in flight" });
        const killed = engine.pid;
        process.kill(-killed, "SIGKILL");
        engine = await startEngine();
        restarts++;
        // The killed engine was never reaped: the new one started beside its zombie.
        expect(procState(killed)).toBe("Z");
      }
      expect(restarts).toBe(5);

      await waitFor(
        async () => {
          if (destination.uniqueEvents() < accepted.size) return false;
          const open = await api(
            engine,
            "GET",
            `${BASE}/connectors/${connectorId}/logs?status=PENDING,PROCESSING,RETRY_SCHEDULED,FAILED,DLQ&limit=1`,
          );
          return open.json.deliveries.length === 0;
        },
        { timeoutMs: 60_000, intervalMs: 200, message: "every accepted event to be delivered" },
      );
      expect(accepted.size).toBe(200);
      expect(new Set(destination.eventIds.values())).toEqual(accepted);
    } finally {
      await destination.close();
    }
  }, 300_000);
});

function readIfExists(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function killGroup(pid: number) {
  if (!pid) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}
