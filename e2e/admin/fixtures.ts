// Fixtures for the admin end-to-end tests: a real engine (fresh data dir), a real destination
// (node:http on 127.0.0.1 that can be told to fail) and the admin itself (`next start`, built first
// when its sources changed). One stack per Playwright worker; every test makes its own connectors, and a
// test that needs an untouched engine takes `ownStack`.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { freePort, startReceiver, waitFor } from "@ib/testing";
import { test as base, expect, type Page } from "@playwright/test";
// A plain .mjs build helper shared with `npm start` (typed by build.d.mts).
import { ensureAdminBuilt } from "../../apps/admin/scripts/build.mjs";
import { repo, startEngine, startProcess } from "../processes.ts";

export { repo };
// Outside Playwright's outputDir (test-results/e2e), which it empties at the start of every run.
export const SCREENSHOTS = join(repo, "test-results", "admin-screenshots");

export { freePort, waitFor } from "@ib/testing";

/** A real HTTP destination; `failWith = 503` (or any status) makes it fail until set back to null. */
async function startDestination() {
  const state: { failWith: number | null } = { failWith: null };
  const receiver = await startReceiver((_req, _n, res) => {
    if (state.failWith !== null) {
      res.writeHead(state.failWith, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "destination down (e2e)" }));
    } else {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
    }
  });
  return { ...receiver, state };
}

export interface Stack {
  engineUrl: string;
  adminUrl: string;
  adminToken: string;
  viewerToken: string;
  destination: Awaited<ReturnType<typeof startDestination>>;
  /** Call the engine directly with the admin token (seeding and checking what it stored). */
  api: <T = any>(method: string, path: string, body?: unknown, token?: string) => Promise<{ status: number; data: T }>;
}

/** A fresh engine (own data dir), a destination and the admin pointed at that engine; `stop` ends them all. */
async function startStack(): Promise<{ stack: Stack; stop: () => Promise<void> }> {
  if (!ensureAdminBuilt({ log: (m: string) => console.log(m) })) throw new Error("admin build failed");
  const adminToken = `ib_e2e_${randomBytes(18).toString("hex")}`;
  const engine = await startEngine({
    IB_ADMIN_TOKEN: adminToken,
    IB_ALLOW_PRIVATE_DESTINATIONS: "1",
    IB_WORKER_POLL_MS: "100",
    IB_CONTROL_PLANE_URL: "",
    NODE_ENV: "test",
  });
  const engineUrl = engine.url;
  const destination = await startDestination();
  const adminPort = await freePort();
  const admin = startProcess(join(repo, "apps/admin/node_modules/.bin/next"), ["start", "-p", String(adminPort)], {
    cwd: join(repo, "apps/admin"),
    env: { ENGINE_URL: engineUrl },
  });
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const stop = async () => {
    await Promise.all([admin.stop(), engine.stop(), destination.close()]);
  };
  try {
    await waitFor(async () => (await fetch(`${adminUrl}/sign-in`)).ok, {
      timeoutMs: 60_000,
      message: "the admin to answer",
    }).catch((error) => {
      throw new Error(`${error}\n${admin.output()}`);
    });
    const api: Stack["api"] = async (method, path, body, token = adminToken) => {
      const res = await fetch(engineUrl + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, data: text ? JSON.parse(text) : undefined };
    };
    const viewer = await api("POST", "/admin/integration-builder/tokens", { name: "e2e viewer", role: "viewer" });
    expect(viewer.status).toBe(201);
    return { stack: { engineUrl, adminUrl, adminToken, viewerToken: viewer.data.value, destination, api }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export const test = base.extend<
  {
    signIn: (page: Page, token?: string) => Promise<void>;
    /** A stack of the test's own, for what only an untouched engine shows (the empty state). */
    ownStack: Stack;
  },
  { stack: Stack }
>({
  stack: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies destructured
    async ({}, use) => {
      const { stack, stop } = await startStack();
      try {
        await use(stack);
      } finally {
        await stop();
      }
    },
    { scope: "worker", timeout: 300_000 },
  ],
  ownStack: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies destructured
    async ({}, use) => {
      const { stack, stop } = await startStack();
      try {
        await use(stack);
      } finally {
        await stop();
      }
    },
    { timeout: 180_000 },
  ],
  baseURL: async ({ stack }, use) => use(stack.adminUrl),
  /** Sign in without the form (the form itself has its own test): the session cookie is set by the admin. */
  signIn: async ({ stack }, use) => {
    await use(async (page, token = stack.adminToken) => {
      const res = await page.request.post(`${stack.adminUrl}/api/session`, { data: { token } });
      expect(res.status()).toBe(200);
    });
  },
});

export { expect };

let counter = 0;
/** A unique event name per test, so tests never see each other's deliveries. */
export function uniqueEvent(prefix = "order"): string {
  counter += 1;
  return `${prefix}.e2e${Date.now().toString(36)}${counter}`;
}

/** Create a connector through the API, pointing at the test destination. */
export async function seedConnector(stack: Stack, overrides: Record<string, unknown> = {}) {
  const res = await stack.api("PUT", "/admin/integration-builder/connectors", {
    name: `Seeded ${uniqueEvent("c")}`,
    sourceEvent: uniqueEvent(),
    destination: { url: `${stack.destination.url}/hook`, method: "POST" },
    mapping: { eventId: "$.id", orderId: "$.payload.orderId" },
    retryMaxAttempts: 2,
    retryBackoffBaseMs: 10,
    retryBackoffMaxMs: 20,
    ...overrides,
  });
  expect(res.status, JSON.stringify(res.data)).toBe(201);
  return res.data as { id: string; name: string; sourceEvent: string; version: number };
}

/** Full-page screenshot into test-results/e2e/admin-screenshots (looked at by a human after the run). */
export async function shot(page: Page, name: string) {
  // Sticky headers land mid-page in a full-page capture taken while scrolled.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Replace the content of a Monaco editor the way a user pastes (no auto-closing brackets). */
export async function fillEditor(page: Page, path: string, text: string) {
  const editor = page.locator(`[data-editor="${path}"] .monaco-editor .view-lines`);
  await expect(editor).toBeVisible();
  await editor.click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
}
