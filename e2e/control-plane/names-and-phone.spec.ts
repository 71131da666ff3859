import { startEngine } from "../processes.ts";
import { expect, startControlPlane, test } from "./fixtures.ts";

const ADMIN_URL = "http://admin.example.test:3000";

const hourStart = (hoursAgo: number) =>
  new Date(Math.floor(Date.now() / 3600_000) * 3600_000 - hoursAgo * 3600_000).toISOString();

/** Two instances: one with a name and a small, odd hourly count (ticks must stay whole), one all green. */
const REPORTS = [
  {
    instanceId: "web-1:/tmp/ib-engine-e2e-AbC123",
    instanceName: "checkout-eu-1",
    connectorsActive: 2,
    connectorsTotal: 2,
    success24h: 12,
    failure24h: 3,
    failedAttempts24h: 5,
    dlqOpen: 1,
    reportIntervalMs: 60_000,
    hourly: [
      { hour: hourStart(0), success: 5, failure: 1, failedAttempts: 2 },
      { hour: hourStart(3), success: 4, failure: 2, failedAttempts: 3 },
      { hour: hourStart(9), success: 3, failure: 0, failedAttempts: 0 },
    ],
    connectors: [
      {
        id: "con_01names0000000000000000a",
        name: "Orders to ERP",
        enabled: true,
        success24h: 2,
        failure24h: 3,
        failedAttempts24h: 5,
        dlqOpen: 1,
      },
      {
        id: "con_01names0000000000000000b",
        name: "Receipts by email",
        enabled: true,
        success24h: 10,
        failure24h: 0,
        failedAttempts24h: 0,
        dlqOpen: 0,
      },
    ],
  },
  {
    instanceId: "older-engine",
    connectorsActive: 1,
    connectorsTotal: 1,
    success24h: 40,
    failure24h: 0,
    dlqOpen: 0,
    reportIntervalMs: 60_000,
  },
];

test("[CONTROL-PLANE] rows show names (ids on hover and copy), connectors link to the admin, 0 % reads as an empty bar, ticks are whole", async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  const cp = await startControlPlane({ CP_PUBLIC_DASHBOARD: "1", CP_ADMIN_URL: ADMIN_URL });
  // A real engine that says its name; its id is built from a temp data dir, which must not be what people read.
  const engine = await startEngine({
    IB_ADMIN_TOKEN: "e2e-admin-token-0123456789abcdef",
    IB_CONTROL_PLANE_URL: cp.url,
    IB_CONTROL_PLANE_TOKEN: cp.ingestToken,
    IB_INSTANCE_NAME: "e2e-engine-name",
    IB_REPORT_INTERVAL_MS: "1000",
  });
  try {
    for (const body of REPORTS) expect((await cp.report(body)).status).toBe(201);
    await page.goto(`${cp.url}/integration-builder`);
    const names = page.getByTestId("instance-name");
    await expect(async () => {
      await page.getByRole("button", { name: /Refresh/ }).click();
      await expect(names.filter({ hasText: "e2e-engine-name" })).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(names.filter({ hasText: "checkout-eu-1" })).toBeVisible();
    // An engine that sends no name is shown by its id, once.
    const older = page.locator('[data-instance="older-engine"]');
    await expect(older.getByTestId("instance-name")).toHaveText("older-engine");
    await expect(older.getByRole("button", { name: /Copy instance id/ })).toHaveCount(0);
    // No instance is called by its data directory.
    for (const text of await names.allTextContents()) expect(text).not.toContain("/tmp");
    const engineRow = page.getByTestId("instance-row").filter({ hasText: "e2e-engine-name" });
    const engineId = await engineRow.getAttribute("data-instance");
    expect(engineId).toContain(engine.dataDir);
    await expect(engineRow.getByTitle(engineId as string)).toBeVisible();

    // The named instance: its id is on hover and one click from the clipboard.
    const named = page.locator('[data-instance="web-1:/tmp/ib-engine-e2e-AbC123"]');
    await named.click();
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: cp.url });
    await named.getByRole("button", { name: /Copy instance id/ }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("web-1:/tmp/ib-engine-e2e-AbC123");

    const breakdown = page.getByTestId("connector-breakdown");
    await expect(breakdown.getByRole("heading")).toContainText("checkout-eu-1");
    const orders = breakdown.getByRole("link", { name: "Orders to ERP" });
    await expect(orders).toHaveAttribute("href", `${ADMIN_URL}/connectors/con_01names0000000000000000a`);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveAttribute(
      "href",
      ADMIN_URL,
    );

    // Failure rate: 60 % fills 60 % of the bar; 0 % leaves it empty (it used to be a full bar).
    const rowOf = (name: string) => breakdown.getByTestId("connector-row").filter({ hasText: name });
    await expect(rowOf("Orders to ERP").getByTestId("connector-failure-rate")).toHaveText("60%");
    await expect(rowOf("Orders to ERP").getByTestId("rate-bar")).toHaveAttribute("data-fill", "0.600");
    await expect(rowOf("Receipts by email").getByTestId("connector-failure-rate")).toHaveText("0%");
    await expect(rowOf("Receipts by email").getByTestId("rate-bar")).toHaveAttribute("data-fill", "0.000");
    const filled = await rowOf("Receipts by email")
      .getByTestId("rate-bar")
      .evaluate((bar) => bar.firstElementChild?.getBoundingClientRect().width ?? 0);
    expect(filled).toBe(0);

    // Chart ticks are whole numbers, even for a maximum of 6 per hour.
    const ticks = await page.getByTestId("chart-tick").allTextContents();
    expect(ticks.length).toBeGreaterThan(1);
    for (const t of ticks) expect(t).toMatch(/^\d+$/);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: testInfo.outputPath("control-plane-names.png"), fullPage: true });
  } finally {
    await engine.stop();
    await cp.stop();
  }
});

test("[CONTROL-PLANE] at 390 px the header wraps, tables become cards and the chart stays readable", async ({
  controlPlane,
  page,
}, testInfo) => {
  for (const body of REPORTS) expect((await controlPlane.report(body)).status).toBe(201);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${controlPlane.url}/integration-builder`);
  await expect(page.getByTestId("instance-row")).toHaveCount(2);

  // Nothing is wider than the screen: no sideways scrolling of the page.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // The header's controls are all on screen (wrapped under the brand, not cut off).
  for (const control of [page.getByRole("button", { name: "Refresh" }), page.getByText("Fleet", { exact: true })]) {
    const box = await control.boundingBox();
    expect(box).not.toBeNull();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
  }

  // Each instance is a card whose numbers carry their column's name.
  const card = page.locator('[data-instance="web-1:/tmp/ib-engine-e2e-AbC123"]');
  await card.click();
  const dlq = card.locator('td[data-label="DLQ open"]');
  await expect(dlq).toBeVisible();
  expect(await dlq.evaluate((td) => getComputedStyle(td, "::before").content)).toBe('"DLQ open"');
  const cardBox = await card.boundingBox();
  expect(cardBox?.width ?? 999).toBeLessThanOrEqual(390);
  const connectorCard = page.getByTestId("connector-row").first();
  await expect(connectorCard.locator('td[data-label="Failure rate"]')).toBeVisible();
  expect((await connectorCard.boundingBox())?.width ?? 999).toBeLessThanOrEqual(390);

  // The chart is drawn at its real width: tick and hour labels keep a legible size.
  const chart = page.getByTestId("activity-chart");
  const viewBoxWidth = Number((await chart.getAttribute("viewBox"))?.split(" ")[2]);
  const drawnWidth = (await chart.boundingBox())?.width ?? 0;
  expect(Math.abs(viewBoxWidth - drawnWidth)).toBeLessThan(2);
  const tickHeight = (await page.getByTestId("chart-tick").first().boundingBox())?.height ?? 0;
  expect(tickHeight).toBeGreaterThanOrEqual(10);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: testInfo.outputPath("control-plane-390.png"), fullPage: true });
});
