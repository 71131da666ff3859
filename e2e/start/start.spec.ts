import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, freePort, test, waitFor } from "../control-plane/fixtures.ts";
import { repo, startProcess } from "../processes.ts";
import { listeningAddresses } from "./listening.ts";

// The root start commands: what they listen on, which ports they honour, the URLs they print.
// Each test may build an app first (once, until its sources change), hence the long deadlines.
const BUILD_AND_START_MS = 300_000;
test.setTimeout(BUILD_AND_START_MS + 120_000);

// Variables that would change what is under test are unset, whatever the calling shell has.
const CLEAN = {
  HOST: undefined,
  PORT: undefined,
  ADMIN_PORT: undefined,
  CP_PORT: undefined,
  CP_VIEWER_TOKEN: undefined,
  CP_PUBLIC_DASHBOARD: undefined,
  IB_ADMIN_TOKEN: undefined,
};

function npmRun(script: string, env: Record<string, string>) {
  return startProcess("npm", ["run", "--silent", script], { cwd: repo, env: { ...CLEAN, ...env } });
}

async function waitListening(proc: ReturnType<typeof npmRun>, port: number) {
  let exited = false;
  void proc.exited.then(() => (exited = true));
  return waitFor(
    async () => {
      const addresses = listeningAddresses(port);
      // A process that is gone ends the wait at once (waitFor retries whatever throws).
      return addresses.length > 0 ? addresses : exited && ["exited"];
    },
    { timeoutMs: BUILD_AND_START_MS, message: `something listening on port ${port}` },
  ).catch((error) => {
    throw new Error(`${error}\n${proc.output()}`);
  });
}

async function signIn(url: string, token: string): Promise<string> {
  const res = await fetch(`${url}/api/integration-builder/session`, {
    method: "POST",
    body: new URLSearchParams({ token }),
    redirect: "manual",
  });
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toBe("/integration-builder");
  return (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

test("[START] start:control-plane alone listens on 127.0.0.1 at PORT; its dashboard asks for the viewer token it prints", async () => {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "ib-start-cp-"));
  const cp = npmRun("start:control-plane", { PORT: String(port), CP_DATA_DIR: dataDir });
  try {
    expect(await waitListening(cp, port)).toEqual(["127.0.0.1"]);
    const url = `http://127.0.0.1:${port}`;
    await waitFor(async () => cp.output().includes(`${url}/integration-builder`), {
      timeoutMs: 10_000,
      message: "the printed URL",
    });

    // Private by default: the page sends to the sign-in, the API answers 401.
    const page = await fetch(`${url}/integration-builder`, { redirect: "manual" });
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toMatch(/\/integration-builder\/sign-in$/);
    const api = await fetch(`${url}/api/integration-builder/dashboard`);
    expect(api.status).toBe(401);
    expect((await api.json()).error.code).toBe("UNAUTHORIZED");

    // The viewer token was generated into the data dir (0600) and its place printed.
    const tokenFile = join(dataDir, "viewer-token");
    expect(cp.output()).toContain(tokenFile);
    const cookie = await signIn(url, readFileSync(tokenFile, "utf8").trim());
    expect((await fetch(`${url}/api/integration-builder/dashboard`, { headers: { cookie } })).status).toBe(200);
  } finally {
    await cp.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("[START] CP_PORT wins over PORT, HOST changes the address, CP_PUBLIC_DASHBOARD=1 opens the dashboard", async () => {
  const [cpPort, port] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), "ib-start-cp-"));
  const cp = npmRun("start:control-plane", {
    CP_PORT: String(cpPort),
    PORT: String(port),
    HOST: "0.0.0.0",
    CP_PUBLIC_DASHBOARD: "1",
    CP_DATA_DIR: dataDir,
  });
  try {
    expect(await waitListening(cp, cpPort)).toEqual(["0.0.0.0"]);
    expect(listeningAddresses(port)).toEqual([]);
    expect((await fetch(`http://127.0.0.1:${cpPort}/api/integration-builder/dashboard`)).status).toBe(200);
    expect(cp.output()).not.toContain("viewer-token");
  } finally {
    await cp.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("[START] start:admin alone listens on 127.0.0.1 at PORT, ADMIN_PORT wins over PORT", async () => {
  const port = await freePort();
  const alone = npmRun("start:admin", { PORT: String(port) });
  try {
    expect(await waitListening(alone, port)).toEqual(["127.0.0.1"]);
    await waitFor(async () => alone.output().includes(`http://127.0.0.1:${port}`), {
      timeoutMs: 10_000,
      message: "the printed URL",
    });
    expect((await fetch(`http://127.0.0.1:${port}/sign-in`)).status).toBeLessThan(500);
  } finally {
    await alone.stop();
  }
  const [adminPort, other] = [await freePort(), await freePort()];
  const both = npmRun("start:admin", { ADMIN_PORT: String(adminPort), PORT: String(other) });
  try {
    expect(await waitListening(both, adminPort)).toEqual(["127.0.0.1"]);
    expect(listeningAddresses(other)).toEqual([]);
  } finally {
    await both.stop();
  }
});

test("[START] npm start serves the three apps on 127.0.0.1 and prints URLs that answer", async () => {
  const [enginePort, adminPort, cpPort] = [await freePort(), await freePort(), await freePort()];
  const engineDir = mkdtempSync(join(tmpdir(), "ib-start-engine-"));
  const cpDir = mkdtempSync(join(tmpdir(), "ib-start-cp-"));
  const all = startProcess("npm", ["start", "--silent"], {
    cwd: repo,
    env: {
      ...CLEAN,
      PORT: String(enginePort),
      ADMIN_PORT: String(adminPort),
      CP_PORT: String(cpPort),
      IB_DATA_DIR: engineDir,
      CP_DATA_DIR: cpDir,
    },
  });
  try {
    let exited = false;
    void all.exited.then(() => (exited = true));
    const banner = await waitFor(
      async () => {
        const out = all.output();
        if (exited) return "(npm start exited)";
        const at = out.indexOf("Integration Builder is running");
        return at >= 0 && out.includes("Data ", at) && out.slice(at);
      },
      { timeoutMs: BUILD_AND_START_MS, message: "the npm start banner" },
    ).catch((error) => {
      throw new Error(`${error}\n${all.output()}`);
    });
    const urlAfter = (label: string) => banner.match(new RegExp(`${label}\\s+(http://\\S+)`))?.[1];
    const engineUrl = urlAfter("Engine API");
    const adminUrl = urlAfter("Admin UI");
    const cpUrl = urlAfter("Control plane");
    expect([engineUrl, adminUrl, cpUrl]).toEqual([
      `http://127.0.0.1:${enginePort}`,
      `http://127.0.0.1:${adminPort}`,
      `http://127.0.0.1:${cpPort}/integration-builder`,
    ]);
    for (const port of [enginePort, adminPort, cpPort]) {
      expect(await waitListening(all, port), `port ${port}`).toEqual(["127.0.0.1"]);
    }
    expect((await fetch(`${engineUrl}/healthz`)).status).toBe(200);
    await waitFor(async () => (await fetch(`${adminUrl}/sign-in`)).status === 200, {
      timeoutMs: 30_000,
      message: "the admin login page",
    });
    const cpPage = await fetch(cpUrl!, { redirect: "manual" });
    expect(cpPage.headers.get("location")).toMatch(/\/integration-builder\/sign-in$/);

    // The admin token and the viewer token it prints both work.
    const adminToken = banner.match(/Admin token\s+(\S+)/)?.[1] ?? "";
    const tokens = await fetch(`${engineUrl}/admin/integration-builder/metrics`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(tokens.status).toBe(200);
    const viewerFile = banner.match(/Viewer token\s+kept in (\S+)/)?.[1] ?? "";
    expect(viewerFile).toBe(join(cpDir, "viewer-token"));
    const cookie = await signIn(`http://127.0.0.1:${cpPort}`, readFileSync(viewerFile, "utf8").trim());
    expect(
      (await fetch(`http://127.0.0.1:${cpPort}/api/integration-builder/dashboard`, { headers: { cookie } })).status,
    ).toBe(200);
  } finally {
    await all.stop();
    rmSync(engineDir, { recursive: true, force: true });
    rmSync(cpDir, { recursive: true, force: true });
  }
});
