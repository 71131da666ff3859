// Helpers for the tests that run the engine as real processes on one PostgreSQL database (scale-out,
// crash safety, shutdown): spawn `--role api|worker|all`, a counting destination, and a direct view
// of the database that the engines' connection kills cannot touch.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { newId } from "@ib/core/ids";
import { connectors, createDb, type DbHandle, execute } from "@ib/db";
import { createTestDatabase, type TestDatabase } from "@ib/db/testing";
import { freePort, waitFor } from "@ib/testing";
import { sql } from "drizzle-orm";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
/** The application_name the observer's connections carry (the engines' connections carry ib-engine). */
export const OBSERVER_APP = "ib-test-observer";
export const ENGINE_APP = "ib-engine";

/** Why the process tests are skipped: they need a PostgreSQL several processes can share. */
export const SKIP_REASON = process.env.TEST_DATABASE_URL
  ? undefined
  : "TEST_DATABASE_URL is not set: multi-process tests need PostgreSQL (PGlite is one process)";

export interface EngineProcess {
  role: string;
  pid: number;
  child: ChildProcess;
  baseUrl: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

/** A throwaway database, an admin token and a master key shared by every process of one test. */
export async function startCluster() {
  const database: TestDatabase = await createTestDatabase("postgres");
  const url = new URL(database.url as string);
  const observerUrl = new URL(url);
  observerUrl.searchParams.set("application_name", OBSERVER_APP);
  // The harness handle is closed at once: from here on only the observer (and the engines) connect.
  await database.handle.close();
  const observer: DbHandle = await createDb({ databaseUrl: observerUrl.toString(), poolSize: 3 });
  url.searchParams.set("application_name", ENGINE_APP);
  const token = `ib_test_${randomBytes(16).toString("hex")}`;
  const masterKey = randomBytes(32).toString("base64");
  const processes: EngineProcess[] = [];

  async function start(role: "api" | "worker" | "all", env: Record<string, string> = {}): Promise<EngineProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "apps/engine/src/main.ts", "--role", role], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/tmp",
        NODE_ENV: "test",
        LOG_LEVEL: "info",
        PORT: String(port),
        DATABASE_URL: url.toString(),
        IB_DATA_DIR: join("/tmp", `ib-proc-${randomBytes(4).toString("hex")}`),
        IB_ADMIN_TOKEN: token,
        IB_MASTER_KEY: masterKey,
        IB_ALLOW_PRIVATE_DESTINATIONS: "1",
        IB_WORKER_POLL_MS: "100",
        IB_DB_POOL_SIZE: "5",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    const keep = (chunk: Buffer) => {
      log += chunk.toString("utf8");
      if (log.length > 400_000) log = log.slice(-200_000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    const proc: EngineProcess = {
      role,
      pid: child.pid as number,
      child,
      baseUrl: `http://127.0.0.1:${port}`,
      output: () => log,
      exited,
      kill: (signal) => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      },
    };
    processes.push(proc);
    const ready =
      role === "worker" ? () => log.includes("delivery worker started") : () => log.includes("engine listening");
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`engine (${role}) exited with ${child.exitCode}:\n${log}`);
        return ready() && (role === "api" || log.includes("delivery worker started"));
      },
      { timeoutMs: 60_000, intervalMs: 50, message: `the ${role} process to start` },
    );
    return proc;
  }

  async function createConnector(destinationUrl: string, overrides: Record<string, unknown> = {}) {
    const id = newId("connector");
    const sourceEvent = `proc.${randomBytes(4).toString("hex")}`;
    await observer.db.insert(connectors).values({
      id,
      name: `process test ${id}`,
      sourceEvent,
      destination: { url: destinationUrl, method: "POST" },
      mapping: { eventId: "$.id", n: "$.payload.n" },
      timeoutMs: 2000,
      retryMaxAttempts: 10,
      retryBackoffBaseMs: 50,
      retryBackoffMaxMs: 300,
      ...overrides,
    });
    return { id, sourceEvent };
  }

  /** Ingest through an API process in batches; a 5xx or a network error is retried, as a client would. */
  async function ingest(api: EngineProcess, name: string, count: number, prefix = "e", from = 0) {
    const ids: string[] = [];
    for (let start = from; start < from + count; start += 250) {
      const batch: { id: string; name: string; payload: { n: number } }[] = [];
      for (let n = start; n < Math.min(from + count, start + 250); n++) {
        const id = `${prefix}_${n}_${randomBytes(3).toString("hex")}`;
        ids.push(id);
        batch.push({ id, name, payload: { n } });
      }
      await waitFor(
        async () => {
          const res = await fetch(`${api.baseUrl}/v1/events/batch`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: JSON.stringify(batch),
          });
          if (res.status >= 500) return false;
          if (res.status >= 300) throw new Error(`batch ingest answered ${res.status}: ${await res.text()}`);
          return true;
        },
        { timeoutMs: 20_000, intervalMs: 100, message: "a batch to be ingested" },
      );
    }
    return ids;
  }

  async function statusCounts(connectorId: string): Promise<Record<string, number>> {
    const rows = await execute<{ status: string; n: number | string }>(
      observer.db,
      sql`select status, count(*) as n from deliveries where connector_id = ${connectorId} group by status`,
    );
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  async function engineConnections(): Promise<number> {
    const [row] = await execute<{ n: number | string }>(
      observer.db,
      sql`select count(*) as n from pg_stat_activity where datname = current_database() and application_name = ${ENGINE_APP}`,
    );
    return Number(row?.n ?? 0);
  }

  return {
    url: url.toString(),
    token,
    observer,
    processes,
    start,
    createConnector,
    ingest,
    statusCounts,
    engineConnections,
    async close() {
      for (const p of processes) p.kill("SIGKILL");
      await Promise.all(processes.map((p) => p.exited));
      await observer.close();
      await database.destroy();
    },
  };
}

export type Cluster = Awaited<ReturnType<typeof startCluster>>;

/**
 * A destination that counts requests per delivery (by `Idempotency-Key`), notices two requests for the
 * same delivery being handled at the same time, and answers through `respond` (default: 200 at once).
 */
export async function countingDestination(
  respond: (res: ServerResponse, deliveryId: string) => void | Promise<void> = (res) => {
    res.writeHead(200).end("ok");
  },
) {
  const counts = new Map<string, number>();
  const eventIds = new Map<string, string>();
  const inFlight = new Map<string, number>();
  const state = { requests: 0, responded: 0, overlaps: 0, peakInFlight: 0, current: 0 };
  const server = createServer((req, res) => {
    const id = String(req.headers["idempotency-key"] ?? "");
    state.requests++;
    counts.set(id, (counts.get(id) ?? 0) + 1);
    const now = (inFlight.get(id) ?? 0) + 1;
    inFlight.set(id, now);
    if (now > 1) state.overlaps++;
    state.current++;
    state.peakInFlight = Math.max(state.peakInFlight, state.current);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { eventId?: string };
        if (body.eventId) eventIds.set(id, body.eventId);
      } catch {
        // not JSON: only counted
      }
      Promise.resolve(respond(res, id))
        .catch(() => res.destroy())
        .finally(() => {
          state.responded++;
        });
    });
    res.on("close", () => {
      state.current--;
      inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    counts,
    eventIds,
    state,
    /** Distinct events that arrived at least once. */
    uniqueEvents: () => new Set(eventIds.values()).size,
    duplicates: () => [...counts.values()].reduce((sum, n) => sum + (n - 1), 0),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
