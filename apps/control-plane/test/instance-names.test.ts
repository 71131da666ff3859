import { testDrivers } from "@ib/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDashboard } from "../src/server/dashboard.ts";
import { loadEnv } from "../src/server/env.ts";
import { handleReport } from "../src/server/ingest.ts";
import { integrationBuilderReports } from "../src/server/schema.ts";
import { createTestStore } from "./store.ts";

const TOKEN = "cp-test-ingest-token-names-0123456789";
const env = { CP_INGEST_TOKEN: TOKEN, CP_MAX_REPORT_BYTES: 64 * 1024, CP_RETENTION_DAYS: 30 };

const post = (body: Record<string, unknown>) =>
  new Request("http://cp.test/api/integration-builder/report", {
    method: "POST",
    headers: { "content-type": "application/json", "x-cp-ingest-token": TOKEN },
    body: JSON.stringify({
      generatedAt: new Date().toISOString(),
      connectorsActive: 1,
      connectorsTotal: 1,
      success24h: 1,
      failure24h: 0,
      dlqOpen: 0,
      ...body,
    }),
  });

describe.each(testDrivers())("instance names on %s", (driver) => {
  let database: Awaited<ReturnType<typeof createTestStore>>;
  beforeAll(async () => {
    database = await createTestStore(driver);
  });
  afterAll(async () => database?.destroy());

  it("keeps the instance's name (IB_INSTANCE_NAME) and leads the dashboard with it; older engines show their id", async () => {
    const deps = { db: database.handle.db, env };
    expect(
      (await handleReport(post({ instanceId: "web-1:/srv/ib/.data/engine", instanceName: "  web-1  " }), deps)).status,
    ).toBe(201);
    expect((await handleReport(post({ instanceId: "legacy-engine" }), deps)).status).toBe(201);
    const [row] = await database.handle.db
      .select()
      .from(integrationBuilderReports)
      .where(eq(integrationBuilderReports.instanceId, "web-1:/srv/ib/.data/engine"));
    expect(row?.instanceName).toBe("web-1");
    const dashboard = await getDashboard(database.handle.db, {
      CP_STALE_AFTER_MS: undefined,
      CP_DEFAULT_REPORT_INTERVAL_MS: 60_000,
    });
    const byId = new Map(dashboard.instances.map((i) => [i.instanceId, i.name]));
    expect(byId.get("web-1:/srv/ib/.data/engine")).toBe("web-1");
    expect(byId.get("legacy-engine")).toBe("legacy-engine");

    const blank = await handleReport(post({ instanceId: "blank-name", instanceName: "   " }), deps);
    expect(blank.status).toBe(422);
    expect(((await blank.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_FAILED");
  });
});

describe("CP_ADMIN_URL", () => {
  it("is the admin's public URL for connector links, optional", () => {
    expect(loadEnv({}).CP_ADMIN_URL).toBeUndefined();
    expect(loadEnv({ CP_ADMIN_URL: "" }).CP_ADMIN_URL).toBeUndefined();
    expect(loadEnv({ CP_ADMIN_URL: "https://admin.example.com" }).CP_ADMIN_URL).toBe("https://admin.example.com");
    expect(() => loadEnv({ CP_ADMIN_URL: "admin.example.com" })).toThrow(/CP_ADMIN_URL/);
  });
});
