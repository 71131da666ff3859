import { testDrivers } from "@ib/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDashboard } from "../src/server/dashboard.ts";
import { handleReport } from "../src/server/ingest.ts";
import { createTestStore } from "./store.ts";

const TOKEN = "cp-test-ingest-token-0123456789";
const env = { CP_INGEST_TOKEN: TOKEN, CP_MAX_REPORT_BYTES: 64 * 1024, CP_RETENTION_DAYS: 30 };
const dashEnv = { CP_STALE_AFTER_MS: undefined, CP_DEFAULT_REPORT_INTERVAL_MS: 60_000 };

const post = (body: Record<string, unknown>) =>
  new Request("http://cp.test/api/integration-builder/report", {
    method: "POST",
    headers: { "content-type": "application/json", "x-cp-ingest-token": TOKEN },
    body: JSON.stringify({
      generatedAt: new Date().toISOString(),
      connectorsActive: 1,
      connectorsTotal: 1,
      success24h: 10,
      failure24h: 0,
      dlqOpen: 0,
      ...body,
    }),
  });

describe.each(testDrivers())("control plane: expectationsMissing (reconciliation) on %s", (driver) => {
  let database: Awaited<ReturnType<typeof createTestStore>>;
  beforeAll(async () => {
    database = await createTestStore(driver);
  });
  afterAll(async () => database?.destroy());

  it("keeps it per instance and sums it over the instances that report it; older engines show null", async () => {
    const deps = { db: database.handle.db, env };
    expect((await handleReport(post({ instanceId: "eng-1", expectationsMissing: 3 }), deps)).status).toBe(201);
    expect((await handleReport(post({ instanceId: "eng-2", expectationsMissing: 2 }), deps)).status).toBe(201);
    expect((await handleReport(post({ instanceId: "eng-old" }), deps)).status).toBe(201);
    const bad = await handleReport(post({ instanceId: "eng-bad", expectationsMissing: -1 }), deps);
    expect(bad.status).toBe(422);

    const dashboard = await getDashboard(database.handle.db, dashEnv);
    expect(dashboard.totals.expectationsMissing).toBe(5);
    const byId = Object.fromEntries(dashboard.instances.map((i) => [i.instanceId, i.expectationsMissing]));
    expect(byId).toEqual({ "eng-1": 3, "eng-2": 2, "eng-old": null });

    // An instance's latest report wins.
    expect((await handleReport(post({ instanceId: "eng-1", expectationsMissing: 0 }), deps)).status).toBe(201);
    expect((await getDashboard(database.handle.db, dashEnv)).totals.expectationsMissing).toBe(2);
  });
});
