import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryHttpClient } from "../src/worker/http-client.ts";
import { type DeliveryWorker, deliveryWorker } from "../src/worker/service.ts";
import { assertDestinationAllowed, DestinationRefusedError } from "../src/worker/ssrf-guard.ts";
import {
  attemptRows,
  createConnector,
  deliveryRow,
  ingest,
  startDestination,
  uniqueEventName,
} from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

describe.each(testDrivers())("SSRF guard on %s", (driver) => {
  let engine: TestEngine;
  let worker: DeliveryWorker;
  let dest: Awaited<ReturnType<typeof startDestination>>;
  beforeAll(async () => {
    // The default policy: private destinations refused.
    engine = await startTestEngine(driver, { IB_WORKER_POLL_MS: "50" });
    worker = deliveryWorker(engine.ctx);
    await worker.start();
    dest = await startDestination();
  });
  afterAll(async () => {
    await worker?.stop(2000);
    await dest?.close();
    await engine?.close();
  });

  it.each([
    ["loopback", () => `${dest.url}/hook`],
    ["a hostname resolving to loopback", () => `http://localhost:${dest.port}/hook`],
    ["the cloud metadata address", () => "http://169.254.169.254/latest/meta-data/"],
    ["IPv6 loopback", () => `http://[::1]:${dest.port}/hook`],
    ["IPv4-mapped IPv6 loopback", () => `http://[::ffff:127.0.0.1]:${dest.port}/hook`],
    ["a private network address", () => "http://10.0.0.1/hook"],
  ])("refuses %s: FAILED with a clear error, nothing sent", async (_label, url) => {
    const name = uniqueEventName();
    await createConnector(engine, { url: url(), sourceEvent: name, destination: { url: url(), method: "POST" } });
    const before = dest.received.length;
    const {
      deliveries: [d],
    } = await ingest(engine, name);
    const row = await waitFor(async () => {
      const r = await deliveryRow(engine, d!.id);
      return r.status === "FAILED" ? r : null;
    });
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/Destination refused \(SSRF guard\).*(loopback|link-local|private)/);
    expect(row.lastError).toMatch(/IB_ALLOW_PRIVATE_DESTINATIONS/);
    expect(dest.received.length).toBe(before);
    const [attempt] = await attemptRows(engine, d!.id);
    expect(attempt).toMatchObject({ outcome: "FAILED", statusCode: null });
  });

  it("admits allowlisted CIDRs and hostnames, and still checks the connected address", async () => {
    const allowCidr = new DeliveryHttpClient({ allowPrivate: false, allowlist: ["127.0.0.0/8"] });
    const allowHost = new DeliveryHttpClient({ allowPrivate: false, allowlist: ["localhost"] });
    const allowOther = new DeliveryHttpClient({ allowPrivate: false, allowlist: ["10.0.0.0/8", "example.internal"] });
    try {
      const req = (url: string) => ({ method: "POST", url, headers: {}, body: "{}" });
      expect(await allowCidr.send(req(`${dest.url}/a`), 2000)).toMatchObject({ kind: "response", status: 200 });
      const viaName = await allowHost.send(req(`http://localhost:${dest.port}/b`), 2000);
      // localhost may resolve to ::1 first, where nothing listens; allowed either way, never refused
      expect(viaName.kind === "response" || viaName.kind === "network").toBe(true);
      expect(await allowHost.send(req(`${dest.url}/c`), 2000)).toMatchObject({ kind: "refused" });
      expect(await allowOther.send(req(`${dest.url}/d`), 2000)).toMatchObject({ kind: "refused" });
    } finally {
      await Promise.all([allowCidr.close(), allowHost.close(), allowOther.close()]);
    }
  });

  it("assertDestinationAllowed resolves names and refuses bad schemes", async () => {
    const strict = { allowPrivate: false, allowlist: [] };
    await expect(assertDestinationAllowed("http://localhost/x", strict)).rejects.toBeInstanceOf(
      DestinationRefusedError,
    );
    await expect(assertDestinationAllowed("http://169.254.169.254/", strict)).rejects.toThrow(/link-local/);
    await expect(assertDestinationAllowed("file:///etc/passwd", strict)).rejects.toThrow(/scheme/);
    await expect(assertDestinationAllowed("not a url", strict)).rejects.toThrow(/not a valid URL/);
    await expect(assertDestinationAllowed("http://93.184.216.34/", strict)).resolves.toBeUndefined();
    await expect(
      assertDestinationAllowed("http://127.0.0.1/", { allowPrivate: true, allowlist: [] }),
    ).resolves.toBeUndefined();
  });
});
