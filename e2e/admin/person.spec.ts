import { createHmac } from "node:crypto";
import { expect, type Stack, seedConnector, shot, test, uniqueEvent, waitFor } from "./fixtures.ts";

// Issue 14, "the rest of what a person met": the list's switch, the preset dialog, names instead of ids,
// and a phone-sized deliveries table.

test.afterEach(({ stack }) => {
  stack.destination.state.failWith = null;
});

const connectorOf = async (stack: Stack, id: string) =>
  (await stack.api("GET", `/admin/integration-builder/connectors/${id}`)).data as { enabled: boolean; version: number };

/** Events for the connector, held back by a failing destination: RETRY_SCHEDULED for a minute. */
async function waitingDeliveries(stack: Stack, c: { id: string; sourceEvent: string }, n: number) {
  stack.destination.state.failWith = 503;
  for (let i = 0; i < n; i++) {
    const res = await stack.api("POST", "/v1/events", { name: c.sourceEvent, payload: { orderId: `ord_w${i}` } });
    expect(res.status).toBe(202);
  }
  await waitFor(
    async () => {
      const logs = await stack.api("GET", `/admin/integration-builder/connectors/${c.id}/logs`);
      const statuses = (logs.data.deliveries as { status: string }[]).map((d) => d.status);
      return statuses.length === n && statuses.every((s) => s === "RETRY_SCHEDULED");
    },
    { timeoutMs: 30_000, message: `${n} deliveries waiting for a retry` },
  );
}

test("[ADMIN] pausing a connector with deliveries waiting asks first, and the toast's Undo enables it again", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const c = await seedConnector(stack, {
    name: `Pause me ${uniqueEvent("p")}`,
    retryMaxAttempts: 5,
    retryBackoffBaseMs: 60_000,
    retryBackoffMaxMs: 60_000,
  });
  await waitingDeliveries(stack, c, 2);
  await page.goto("/connectors");
  const toggle = page.getByRole("switch", { name: `${c.name} enabled` });
  await expect(toggle).toBeChecked();

  // Asked first; "Keep it running" changes nothing.
  await toggle.click();
  const dialog = page.getByRole("dialog", { name: `Pause “${c.name}”?` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("2 deliveries are waiting to be sent.");
  await expect(dialog).toContainText("stay queued");
  await shot(page, "30-pause-confirm");
  await dialog.getByRole("button", { name: "Keep it running" }).click();
  await expect(dialog).toHaveCount(0);
  expect((await connectorOf(stack, c.id)).enabled).toBe(true);

  // Confirmed: paused, and said so with an Undo.
  await toggle.click();
  await page.getByRole("dialog").getByRole("button", { name: "Pause connector" }).click();
  const toast = page.getByRole("status").filter({ hasText: "Connector paused" });
  await expect(toast).toBeVisible();
  await expect(toggle).not.toBeChecked();
  const paused = await connectorOf(stack, c.id);
  expect(paused.enabled).toBe(false);
  await shot(page, "31-paused-undo");

  // Undo: enabled again, with the version the pause made (no conflict).
  await toast.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Connector enabled again" })).toBeVisible();
  await expect(toggle).toBeChecked();
  const restored = await connectorOf(stack, c.id);
  expect(restored).toMatchObject({ enabled: true, version: paused.version + 1 });

  // A connector with nothing waiting pauses at once, and its Undo works the same way.
  const idle = await seedConnector(stack, { name: `Idle ${uniqueEvent("i")}` });
  await page.reload();
  await page.getByRole("switch", { name: `${idle.name} enabled` }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: "Connector paused" }).last()).toBeVisible();
  await expect.poll(async () => (await connectorOf(stack, idle.id)).enabled).toBe(false);
});

test("[ADMIN] Enter on a focused connector row opens it; Enter on its switch opens it too and flips nothing", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const c = await seedConnector(stack, { name: `Keyboard ${uniqueEvent("k")}` });
  await page.goto("/connectors");
  const row = page.getByTestId("connector-row").filter({ hasText: c.name });
  await row.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/connectors/${c.id}$`));

  await page.goto("/connectors");
  const toggle = page.getByRole("switch", { name: `${c.name} enabled` });
  await toggle.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/connectors/${c.id}$`));
  expect((await connectorOf(stack, c.id)).enabled).toBe(true);

  // Space is what flips a switch.
  await page.goto("/connectors");
  await page.getByRole("switch", { name: `${c.name} enabled` }).focus();
  await page.keyboard.press("Space");
  await expect.poll(async () => (await connectorOf(stack, c.id)).enabled).toBe(false);
  await expect(page).toHaveURL(/\/connectors$/);
});

test("[ADMIN] preset dialog: labels and help, why Create is disabled, a generated signing secret that really signs", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  await page.goto("/presets");
  await page.getByRole("button", { name: "Use Standard Webhooks signed" }).click();
  const dialog = page.getByRole("dialog");
  const create = dialog.getByRole("button", { name: "Create connector" });
  const reason = dialog.getByTestId("create-blocked-reason");

  // Human labels with their help; raw keys and backticks nowhere.
  await expect(dialog.getByLabel("Receiver URL")).toBeVisible();
  await expect(dialog.getByLabel("Signing secret")).toBeVisible();
  await expect(dialog).toContainText("whsec_ followed by base64 of at least 16 bytes");
  const text = (await dialog.textContent()) ?? "";
  expect(text).not.toContain("signingSecret");
  expect(text).not.toContain("`");

  // Disabled, and it says why.
  const eventName = uniqueEvent("order");
  await dialog.getByLabel("Source event").fill(eventName);
  await expect(create).toBeDisabled();
  await expect(reason).toHaveText("2 things to fill in first");
  await expect(dialog.getByRole("list", { name: "Still needed" })).toContainText("Fill in Receiver URL");
  await dialog.getByLabel("Receiver URL").fill("ftp://example.com/hook");
  await dialog.getByLabel("Signing secret").fill("hunter2");
  await dialog.getByLabel("Signing secret").blur();
  await expect(dialog.getByText("It must start with whsec_")).toBeVisible();
  await dialog.getByLabel("Receiver URL").fill(`${stack.destination.url}/generated`);
  await expect(reason).toHaveText("Signing secret must start with whsec_");
  await expect(create).toHaveAttribute("aria-describedby", /.+/);
  await shot(page, "32-preset-dialog-blocked");

  // Generate: a fresh whsec_ secret, shown once with Copy.
  await dialog.getByRole("button", { name: "Generate" }).click();
  const secretInput = dialog.getByLabel("Signing secret");
  const secret = await secretInput.inputValue();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
  await expect(secretInput).toHaveAttribute("type", "text");
  await expect(dialog.getByRole("button", { name: "Copy" })).toBeVisible();
  await expect(reason).toHaveCount(0);
  await expect(create).toBeEnabled();
  await shot(page, "33-preset-dialog-generated");
  await dialog.getByRole("button", { name: "Generate" }).click();
  expect(await secretInput.inputValue()).not.toBe(secret);
  const used = await secretInput.inputValue();
  await create.click();
  await expect(page).toHaveURL(/\/connectors\/con_/);

  // The receiver can verify what the engine sends with the generated secret.
  const ingest = await stack.api("POST", "/v1/events", { name: eventName, payload: { orderId: "ord_gen_1" } });
  expect(ingest.status).toBe(202);
  const received = await waitFor(async () => stack.destination.received.find((r) => r.url === "/generated"), {
    timeoutMs: 30_000,
    message: "the signed delivery",
  });
  const h = received.headers;
  const expected = createHmac("sha256", Buffer.from(used.slice(6), "base64"))
    .update(`${h["webhook-id"]}.${h["webhook-timestamp"]}.${received.body}`)
    .digest("base64");
  expect(String(h["webhook-signature"]).split(" ")).toContain(`v1,${expected}`);
});

test("[ADMIN] names, not ids: the audit log, the event drawer and the delivery drawer", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const c = await seedConnector(stack, { name: `Named ${uniqueEvent("n")}` });
  const ingest = await stack.api("POST", "/v1/events", { name: c.sourceEvent, payload: { orderId: "ord_n1" } });
  expect(ingest.status).toBe(202);

  await page.goto("/audit");
  await page.getByLabel("Target").fill(c.id);
  await page.getByRole("button", { name: "Filter" }).click();
  const row = page.getByRole("row").filter({ hasText: "connector.create" });
  await expect(row).toBeVisible();
  await expect(row.getByText(c.name, { exact: true })).toBeVisible();
  await expect(row.getByText(c.name, { exact: true })).toHaveAttribute("title", `${c.name} (${c.id})`);
  await expect(row.getByText("bootstrap (IB_ADMIN_TOKEN)")).toBeVisible();
  await expect(row.getByText(c.id)).toHaveCount(0);
  // The id is one click away.
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await row.getByRole("button", { name: `Copy id ${c.id}` }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(c.id);
  await expect(row).not.toHaveAttribute("aria-expanded", "true");
  await shot(page, "34-audit-names");

  await page.goto("/events");
  await page.getByRole("row").filter({ hasText: ingest.data.id }).click();
  const eventDrawer = page.getByRole("dialog");
  await expect(eventDrawer.getByRole("link", { name: c.name })).toHaveAttribute(
    "href",
    `/connectors/${c.id}?tab=deliveries`,
  );
  await shot(page, "35-event-drawer-names");
  await eventDrawer.getByRole("button", { name: /Attempts/ }).click();
  const deliveryDrawer = page.getByRole("dialog");
  await expect(deliveryDrawer.getByRole("link", { name: c.name })).toBeVisible();
  await expect(deliveryDrawer.getByText(c.sourceEvent, { exact: true })).toHaveAttribute(
    "title",
    `${c.sourceEvent} (${ingest.data.id})`,
  );
  await shot(page, "36-delivery-drawer-names");
});

test("[ADMIN] at 390 px the deliveries table keeps each delivery's status, attempts and Retry on screen", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const c = await seedConnector(stack, { name: `Phone ${uniqueEvent("ph")}`, retryMaxAttempts: 1 });
  stack.destination.state.failWith = 500;
  for (const orderId of ["ord_p1", "ord_p2"]) {
    expect((await stack.api("POST", "/v1/events", { name: c.sourceEvent, payload: { orderId } })).status).toBe(202);
  }
  await waitFor(
    async () => {
      const logs = await stack.api("GET", `/admin/integration-builder/connectors/${c.id}/logs`);
      const all = logs.data.deliveries as { status: string }[];
      return all.length === 2 && all.every((d) => d.status === "DLQ" || d.status === "FAILED");
    },
    { timeoutMs: 30_000, message: "two failed deliveries" },
  );
  stack.destination.state.failWith = null;

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/connectors/${c.id}?tab=deliveries`);
  const rows = page.getByTestId("delivery-row");
  await expect(rows).toHaveCount(2);
  const first = rows.first();
  const onScreen = async (locator: ReturnType<typeof page.locator>) => {
    await expect(locator).toBeVisible();
    const box = await locator.boundingBox();
    expect(box, "laid out").not.toBeNull();
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 390).toBe(true);
  };
  await onScreen(first.getByText(/DLQ|Failed/).first());
  await onScreen(first.locator('td[data-label="Attempts"]'));
  await expect(first.locator('td[data-label="Attempts"]')).toContainText("1");
  const retry = first.getByRole("button", { name: /Retry delivery/ });
  await onScreen(retry);
  // Each value is under its column's name, and the page itself never scrolls sideways.
  expect(
    await first.locator('td[data-label="Status"]').evaluate((td) => getComputedStyle(td, "::before").content),
  ).toBe('"Status"');
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await shot(page, "37-deliveries-390");

  await retry.click();
  await expect(page.getByText("Delivery queued for retry")).toBeVisible();
  await expect(rows.filter({ hasText: "Success" })).toHaveCount(1, { timeout: 30_000 });

  await page.goto("/connectors");
  await expect(page.getByTestId("connector-row").first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await shot(page, "38-connectors-390");

  // The navigation: a Menu button opens every section as a grid that fits the width (no strip scrolling
  // sideways with most links out of sight); following a link closes it.
  const nav = page.getByRole("navigation", { name: "Main" });
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(nav).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  const links = nav.getByRole("link");
  expect(await links.count()).toBeGreaterThanOrEqual(9);
  for (const link of await links.all()) await onScreen(link);
  expect(await nav.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  await shot(page, "39-nav-390");
  await nav.getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(nav).toBeHidden();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
});
