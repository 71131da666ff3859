import { testDrivers } from "@ib/db/testing";
import { desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDashboard } from "../src/server/dashboard.ts";
import { loadEnv } from "../src/server/env.ts";
import { handleReport, pruneReports } from "../src/server/ingest.ts";
import { integrationBuilderReports } from "../src/server/schema.ts";
import { dashboardAccess, isViewerAllowed, viewerSession } from "../src/server/viewer.ts";
import { createTestStore } from "./store.ts";

const TOKEN = "cp-test-ingest-token-0123456789";
const env = { CP_INGEST_TOKEN: TOKEN, CP_MAX_REPORT_BYTES: 64 * 1024, CP_RETENTION_DAYS: 30 };

const report = (overrides: Record<string, unknown> = {}) => ({
  instanceId: "engine-a",
  generatedAt: new Date().toISOString(),
  connectorsActive: 2,
  connectorsTotal: 3,
  success24h: 40,
  failure24h: 2,
  dlqOpen: 1,
  ...overrides,
});

function post(body: unknown, headers: Record<string, string> = {}, raw?: string) {
  return new Request("http://cp.test/api/integration-builder/report", {
    method: "POST",
    headers: { "content-type": "application/json", "x-cp-ingest-token": TOKEN, ...headers },
    body: raw ?? JSON.stringify(body),
  });
}

async function expectEnvelope(res: Response, status: number, code: string) {
  const body = (await res.json()) as { error?: { code: string; message: string; requestId: string } };
  expect({ status: res.status, code: body.error?.code }).toEqual({ status, code });
  expect(typeof body.error?.message).toBe("string");
  expect(body.error?.requestId).toMatch(/^req_/);
  return body.error!;
}

describe.each(testDrivers())("control-plane report ingest on %s", (driver) => {
  let database: Awaited<ReturnType<typeof createTestStore>>;
  const deps = () => ({ db: database.handle.db, env });
  const count = async (instanceId: string) =>
    (
      await database.handle.db
        .select()
        .from(integrationBuilderReports)
        .where(eq(integrationBuilderReports.instanceId, instanceId))
    ).length;

  beforeAll(async () => {
    database = await createTestStore(driver);
  });
  afterAll(async () => database?.destroy());

  it("refuses a report without the ingest token (401) and stores nothing", async () => {
    const res = await handleReport(post(report({ instanceId: "no-token" }), { "x-cp-ingest-token": "" }), deps());
    const error = await expectEnvelope(res, 401, "UNAUTHORIZED");
    expect(error.message).toMatch(/x-cp-ingest-token/);
    expect(await count("no-token")).toBe(0);
  });

  it("refuses a wrong ingest token (401), including one that only differs in length", async () => {
    for (const wrong of [`${TOKEN}x`, TOKEN.slice(0, -1), "nope"]) {
      const res = await handleReport(
        post(report({ instanceId: "wrong-token" }), { "x-cp-ingest-token": wrong }),
        deps(),
      );
      await expectEnvelope(res, 401, "UNAUTHORIZED");
    }
    expect(await count("wrong-token")).toBe(0);
  });

  it("answers 503 when the control plane has no ingest token configured", async () => {
    const res = await handleReport(post(report()), {
      db: database.handle.db,
      env: { ...env, CP_INGEST_TOKEN: undefined },
    });
    await expectEnvelope(res, 503, "UNAVAILABLE");
  });

  it("rejects malformed reports with a 4xx envelope", async () => {
    await expectEnvelope(await handleReport(post(null, {}, "{not json"), deps()), 400, "BAD_REQUEST");
    await expectEnvelope(
      await handleReport(post(null, { "content-type": "text/plain" }, JSON.stringify(report())), deps()),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
    const bad: [Record<string, unknown>, string][] = [
      [{ success24h: -1 }, "success24h"],
      [{ dlqOpen: 1.5 }, "dlqOpen"],
      [{ generatedAt: "yesterday" }, "generatedAt"],
      [{ instanceId: "" }, "instanceId"],
      [{ connectorsActive: 9, connectorsTotal: 3 }, "connectorsActive"],
      [{ connectors: [{ id: "con_1" }] }, "connectors.0.name"],
      [{ success24h: "40" }, "success24h"],
    ];
    for (const [overrides, path] of bad) {
      const res = await handleReport(post(report({ instanceId: "malformed", ...overrides })), deps());
      const error = (await expectEnvelope(res, 422, "VALIDATION_FAILED")) as {
        details?: { issues: { path: string }[] };
      };
      expect(error.details?.issues.map((i) => i.path)).toContain(path);
    }
    await expectEnvelope(await handleReport(post([report()]), deps()), 422, "VALIDATION_FAILED");
    expect(await count("malformed")).toBe(0);
  });

  it("refuses a body over the size limit with 413", async () => {
    const huge = report({
      instanceId: "huge",
      connectors: Array.from({ length: 2000 }, (_, i) => ({
        id: `con_${i}`,
        name: `connector number ${i} with a long name`,
        enabled: true,
        success24h: 1,
        failure24h: 0,
        dlqOpen: 0,
      })),
    });
    await expectEnvelope(await handleReport(post(huge), deps()), 413, "PAYLOAD_TOO_LARGE");
    expect(await count("huge")).toBe(0);
  });

  it("stores a valid report as an IntegrationBuilderReport row, ignoring unknown fields", async () => {
    const body = report({
      instanceId: "stored",
      reportIntervalMs: 5000,
      engineVersion: "9.9.9",
      connectors: [{ id: "con_1", name: "Orders to ERP", enabled: true, success24h: 40, failure24h: 2, dlqOpen: 1 }],
    });
    const res = await handleReport(post(body), deps());
    expect(res.status).toBe(201);
    const answer = (await res.json()) as { id: string; instanceId: string };
    expect(answer.id).toMatch(/^rpt_/);
    const [row] = await database.handle.db
      .select()
      .from(integrationBuilderReports)
      .where(eq(integrationBuilderReports.id, answer.id));
    expect(row).toMatchObject({
      instanceId: "stored",
      connectorsActive: 2,
      connectorsTotal: 3,
      success24h: 40,
      failure24h: 2,
      dlqOpen: 1,
      reportIntervalMs: 5000,
      connectors: [{ id: "con_1", name: "Orders to ERP", enabled: true, success24h: 40, failure24h: 2, dlqOpen: 1 }],
    });
    expect(row?.generatedAt.toISOString()).toBe(body.generatedAt);
    expect(JSON.stringify(row)).not.toContain("engineVersion");
  });

  it("stores failedAttempts24h (totals, per connector, per hour) and accepts reports without it", async () => {
    const hour = new Date(Math.floor(Date.now() / 3600_000) * 3600_000).toISOString();
    const res = await handleReport(
      post(
        report({
          instanceId: "with-attempts",
          success24h: 40,
          failure24h: 2,
          failedAttempts24h: 15,
          hourly: [{ hour, success: 40, failure: 2, failedAttempts: 15 }],
          connectors: [
            {
              id: "con_1",
              name: "Orders",
              enabled: true,
              success24h: 40,
              failure24h: 2,
              failedAttempts24h: 15,
              dlqOpen: 1,
            },
          ],
        }),
      ),
      deps(),
    );
    expect(res.status).toBe(201);
    // An engine from before failedAttempts24h still reports.
    expect((await handleReport(post(report({ instanceId: "without-attempts" })), deps())).status).toBe(201);
    const rows = await database.handle.db
      .select()
      .from(integrationBuilderReports)
      .where(sql`${integrationBuilderReports.instanceId} in ('with-attempts', 'without-attempts')`)
      .orderBy(integrationBuilderReports.instanceId);
    expect(rows.map((r) => [r.instanceId, r.failedAttempts24h])).toEqual([
      ["with-attempts", 15],
      ["without-attempts", null],
    ]);
    expect(rows[0]?.hourly).toEqual([{ hour, success: 40, failure: 2, failedAttempts: 15 }]);
    expect(rows[0]?.connectors?.[0]).toMatchObject({ failedAttempts24h: 15 });
    const res422 = await handleReport(post(report({ instanceId: "bad-attempts", failedAttempts24h: -1 })), deps());
    await expectEnvelope(res422, 422, "VALIDATION_FAILED");
  });

  it("prunes reports older than the retention period", async () => {
    const now = new Date();
    const old = new Date(now.getTime() - 31 * 24 * 3600_000);
    const recent = new Date(now.getTime() - 29 * 24 * 3600_000);
    for (const [id, at] of [
      ["rpt_old", old],
      ["rpt_recent", recent],
    ] as const) {
      await database.handle.db.insert(integrationBuilderReports).values({
        id,
        instanceId: "retention",
        generatedAt: at,
        receivedAt: at,
        connectorsActive: 0,
        connectorsTotal: 0,
        success24h: 0,
        failure24h: 0,
        dlqOpen: 0,
      });
    }
    expect(await pruneReports(database.handle.db, 30, now)).toBeGreaterThanOrEqual(1);
    const left = await database.handle.db
      .select({ id: integrationBuilderReports.id })
      .from(integrationBuilderReports)
      .where(eq(integrationBuilderReports.instanceId, "retention"));
    expect(left.map((r) => r.id)).toEqual(["rpt_recent"]);
  });
});

describe.each(testDrivers())("control-plane dashboard on %s", (driver) => {
  let database: Awaited<ReturnType<typeof createTestStore>>;
  const dashEnv = { CP_STALE_AFTER_MS: undefined, CP_DEFAULT_REPORT_INTERVAL_MS: 60_000 };
  beforeAll(async () => {
    database = await createTestStore(driver);
  });
  afterAll(async () => database?.destroy());

  const ingestAt = async (at: Date, body: Record<string, unknown>) => {
    const res = await handleReport(post(report(body)), { db: database.handle.db, env, now: () => at });
    expect(res.status).toBe(201);
  };

  it("totals each instance's latest report and flags one silent for 3 intervals as stale", async () => {
    const now = new Date();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    // engine-a reported twice; only its latest counts.
    await ingestAt(ago(120_000), {
      instanceId: "engine-a",
      success24h: 1,
      failure24h: 1,
      dlqOpen: 9,
      reportIntervalMs: 60_000,
    });
    await ingestAt(ago(30_000), {
      instanceId: "engine-a",
      connectorsActive: 2,
      connectorsTotal: 3,
      success24h: 90,
      failure24h: 10,
      failedAttempts24h: 25,
      dlqOpen: 1,
      reportIntervalMs: 60_000,
    });
    // engine-b (an older engine: no failedAttempts24h) reports every 10 s and has been silent for 40 s: stale.
    await ingestAt(ago(40_000), {
      instanceId: "engine-b",
      connectorsActive: 5,
      connectorsTotal: 5,
      success24h: 300,
      failure24h: 0,
      dlqOpen: 0,
      reportIntervalMs: 10_000,
    });
    const d = await getDashboard(database.handle.db, dashEnv, now);
    expect(d.totals).toEqual({
      instances: 2,
      instancesStale: 1,
      connectorsActive: 7,
      connectorsTotal: 8,
      success24h: 390,
      failure24h: 10,
      failedAttempts24h: 25,
      failureRate: 10 / 400,
      dlqOpen: 1,
      expectationsMissing: null,
    });
    const byId = Object.fromEntries(d.instances.map((i) => [i.instanceId, i]));
    expect(byId["engine-a"]).toMatchObject({
      stale: false,
      staleAfterMs: 180_000,
      success24h: 90,
      failedAttempts24h: 25,
      failureRate: 0.1,
    });
    expect(byId["engine-b"]).toMatchObject({
      stale: true,
      staleAfterMs: 30_000,
      failedAttempts24h: null,
      failureRate: 0,
    });
    expect(d.instances[0]?.instanceId).toBe("engine-b"); // problems first

    // CP_STALE_AFTER_MS overrides the 3-interval rule.
    const strict = await getDashboard(database.handle.db, { ...dashEnv, CP_STALE_AFTER_MS: 10_000 }, now);
    expect(strict.totals.instancesStale).toBe(2);

    // The chart: 24 hourly points; the current hour sums the latest report of each instance in it.
    expect(d.seriesKind).toBe("trailing");
    expect(d.series).toHaveLength(24);
    const last = d.series.at(-1)!;
    const sameHour = (t: Date) => Math.floor(t.getTime() / 3600_000) === Math.floor(now.getTime() / 3600_000);
    if (sameHour(ago(120_000))) {
      expect(last).toMatchObject({ success: 390, failure: 10, instances: 2 });
    }
    expect(d.series.reduce((n, p) => n + p.instances, 0)).toBeGreaterThanOrEqual(2);
  });

  it("charts deliveries per hour from the hourly counts of each instance's latest report", async () => {
    const now = new Date();
    const hourStart = (hoursAgo: number) =>
      new Date(Math.floor(now.getTime() / 3600_000) * 3600_000 - hoursAgo * 3600_000).toISOString();
    await ingestAt(now, {
      instanceId: "hourly-a",
      hourly: [
        { hour: hourStart(0), success: 7, failure: 1, failedAttempts: 6 },
        { hour: hourStart(5), success: 3, failure: 0, failedAttempts: 2 },
        { hour: hourStart(30), success: 999, failure: 999 }, // outside the window
      ],
    });
    await ingestAt(now, { instanceId: "hourly-b", hourly: [{ hour: hourStart(0), success: 2, failure: 4 }] });
    const d = await getDashboard(database.handle.db, dashEnv, now);
    expect(d.seriesKind).toBe("hourly");
    expect(d.series).toHaveLength(24);
    // hourly-b is an older engine without failed attempts: they are summed over the instances that send them.
    expect(d.series.at(-1)).toMatchObject({
      hour: hourStart(0),
      success: 9,
      failure: 5,
      failedAttempts: 6,
      instances: 2,
    });
    expect(d.series.at(-6)).toMatchObject({
      hour: hourStart(5),
      success: 3,
      failure: 0,
      failedAttempts: 2,
      instances: 1,
    });
    expect(d.series.at(-2)).toMatchObject({ failedAttempts: null, instances: 0 });
    expect(d.series.reduce((n, p) => n + p.success, 0)).toBe(12);
    const [row] = await database.handle.db
      .select({ hourly: integrationBuilderReports.hourly })
      .from(integrationBuilderReports)
      .where(eq(integrationBuilderReports.instanceId, "hourly-b"));
    expect(row?.hourly).toEqual([{ hour: hourStart(0), success: 2, failure: 4 }]);
    await expectEnvelope(
      await handleReport(post(report({ hourly: [{ hour: "noon", success: 1, failure: 0 }] })), {
        db: database.handle.db,
        env,
      }),
      422,
      "VALIDATION_FAILED",
    );
  });

  it("shows nothing rather than failing when no instance has reported", async () => {
    await database.handle.db.execute(sql`delete from integration_builder_reports`);
    const d = await getDashboard(database.handle.db, dashEnv);
    expect(d.totals).toMatchObject({ instances: 0, success24h: 0, failureRate: null });
    expect(d.series.every((p) => p.instances === 0)).toBe(true);
    const rows = await database.handle.db
      .select()
      .from(integrationBuilderReports)
      .orderBy(desc(integrationBuilderReports.receivedAt));
    expect(rows).toEqual([]);
  });
});

describe("control-plane env", () => {
  it("defaults the store to .data/control-plane and validates tokens", () => {
    const e = loadEnv({});
    expect(e.dataDir).toMatch(/\.data\/control-plane$/);
    expect(e.CP_INGEST_TOKEN).toBeUndefined();
    expect(loadEnv({ CP_INGEST_TOKEN: "" }).CP_INGEST_TOKEN).toBeUndefined();
    expect(() => loadEnv({ CP_INGEST_TOKEN: "short" })).toThrow(/CP_INGEST_TOKEN/);
    expect(() => loadEnv({ CP_DATABASE_URL: "not a url" })).toThrow(/CP_DATABASE_URL/);
  });

  it("keeps the dashboard private unless CP_PUBLIC_DASHBOARD=1", () => {
    const session = viewerSession("viewer-token-123");
    const cases: [Record<string, string>, string, boolean, boolean][] = [
      // env, access, allowed without a cookie, allowed with the viewer session cookie
      [{}, "locked", false, false],
      [{ CP_PUBLIC_DASHBOARD: "" }, "locked", false, false],
      [{ CP_PUBLIC_DASHBOARD: "0" }, "locked", false, false],
      [{ CP_VIEWER_TOKEN: "viewer-token-123" }, "sign-in", false, true],
      [{ CP_PUBLIC_DASHBOARD: "1" }, "public", true, true],
      [{ CP_PUBLIC_DASHBOARD: "1", CP_VIEWER_TOKEN: "viewer-token-123" }, "public", true, true],
    ];
    for (const [source, access, anonymous, signedIn] of cases) {
      const e = loadEnv(source);
      expect({ source, access: dashboardAccess(e) }).toEqual({ source, access });
      expect(isViewerAllowed(e, undefined)).toBe(anonymous);
      expect(isViewerAllowed(e, session)).toBe(signedIn);
      expect(isViewerAllowed(e, "forged")).toBe(anonymous);
    }
    expect(() => loadEnv({ CP_PUBLIC_DASHBOARD: "yes" })).toThrow(/CP_PUBLIC_DASHBOARD/);
  });
});

describe.each(testDrivers())("control-plane store beside the engine's on %s", (driver) => {
  it("migrates into the engine's database without either skipping the other's migrations", async () => {
    // createTestDatabase applies the engine's migrations; the control plane keeps its own journal.
    const { createTestDatabase } = await import("@ib/db/testing");
    const { migrate } = await import("@ib/db");
    const { ENGINE_MIGRATIONS } = await import("@ib/db/migrations");
    const { migrateControlPlane } = await import("../src/server/migrate.ts");
    const { CP_MIGRATIONS } = await import("./store.ts");
    const shared = await createTestDatabase(driver);
    try {
      await migrateControlPlane(shared.handle, CP_MIGRATIONS);
      await migrate(shared.handle, { migrationsFolder: ENGINE_MIGRATIONS }); // the engine again, after the control plane: still a no-op
      await migrateControlPlane(shared.handle, CP_MIGRATIONS);
      const tables = await shared.handle.db.execute(
        sql`select table_name from information_schema.tables where table_schema = 'public' and table_name in ('integration_builder_reports', 'connectors', 'deliveries')`,
      );
      const names = (Array.isArray(tables) ? tables : (tables as { rows: { table_name: string }[] }).rows).map(
        (r: { table_name: string }) => r.table_name,
      );
      expect(names.sort()).toEqual(["connectors", "deliveries", "integration_builder_reports"]);
    } finally {
      await shared.destroy();
    }
  });
});
