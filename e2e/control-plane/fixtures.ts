import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitFor } from "@ib/testing";
import { test as base, expect } from "@playwright/test";
// @ts-expect-error: a plain .mjs build helper shared with `npm start`
import { ensureControlPlaneBuilt } from "../../apps/control-plane/scripts/build.mjs";
import { repo, startProcess } from "../processes.ts";

export { repo };

const app = join(repo, "apps", "control-plane");

export { freePort, waitFor } from "@ib/testing";

export type Report = {
  instanceId: string;
  generatedAt?: string;
  connectorsActive: number;
  connectorsTotal: number;
  success24h: number;
  failure24h: number;
  failedAttempts24h?: number;
  dlqOpen: number;
  reportIntervalMs?: number;
  connectors?: {
    id: string;
    name: string;
    enabled: boolean;
    success24h: number;
    failure24h: number;
    failedAttempts24h?: number;
    dlqOpen: number;
  }[];
};

export interface ControlPlane {
  url: string;
  ingestToken: string;
  dataDir: string;
  /** POST a report with the ingest token (or the headers given). */
  report(body: Report | Record<string, unknown>, headers?: Record<string, string>): Promise<Response>;
  output(): string;
  stop(): Promise<void>;
}

/** Build the control plane if its sources changed, then `next start` it on a free port with a fresh CP_DATA_DIR. */
export async function startControlPlane(env: Record<string, string> = {}): Promise<ControlPlane> {
  if (!ensureControlPlaneBuilt({ quiet: true })) throw new Error("next build of the control plane failed");
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "ib-cp-e2e-"));
  const ingestToken = `cpi_e2e_${randomBytes(16).toString("hex")}`;
  const proc = startProcess(
    join(app, "node_modules", ".bin", "next"),
    ["start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: app,
      env: { CP_DATA_DIR: dataDir, CP_INGEST_TOKEN: ingestToken, ...env },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (proc.child.exitCode !== null) throw new Error(`control plane exited:\n${proc.output()}`);
      const res = await fetch(`${url}/api/integration-builder/report`, { method: "POST" });
      return res.status === 401;
    },
    { timeoutMs: 60_000, message: "the control plane to answer" },
  ).catch((error) => {
    throw new Error(`${error}\n${proc.output()}`);
  });
  return {
    url,
    ingestToken,
    dataDir,
    output: proc.output,
    report: (body, headers) =>
      fetch(`${url}/api/integration-builder/report`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-cp-ingest-token": ingestToken, ...headers },
        body: JSON.stringify({ generatedAt: new Date().toISOString(), ...body }),
      }),
    async stop() {
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const test = base.extend<{ controlPlane: ControlPlane }>({
  controlPlane: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this destructuring.
    async ({}, use, testInfo) => {
      // These tests look at the dashboard itself; signing in is tested on its own.
      const cp = await startControlPlane({ CP_PUBLIC_DASHBOARD: "1" });
      await use(cp);
      if (testInfo.status !== testInfo.expectedStatus)
        await testInfo.attach("control-plane.log", { body: cp.output() });
      await cp.stop();
    },
    // The first use may run `next build` (well under 3 minutes); later ones only hash the sources.
    { timeout: 240_000 },
  ],
});

export { expect };
