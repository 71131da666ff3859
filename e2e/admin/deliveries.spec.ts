import { expect, seedConnector, shot, test, uniqueEvent, waitFor } from "./fixtures.ts";

test.afterEach(({ stack }) => {
  stack.destination.state.failWith = null;
});

async function deliveriesOf(stack: Parameters<typeof seedConnector>[0], connectorId: string) {
  const res = await stack.api("GET", `/admin/integration-builder/connectors/${connectorId}/logs`);
  return res.data.deliveries as Array<{ id: string; status: string; eventId: string }>;
}

test("[ADMIN] send a test event from the Events page and see the SUCCESS delivery and its attempt", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const c = await seedConnector(stack, { name: "Orders to the e2e hook" });
  await page.goto("/events");
  await page.getByRole("button", { name: "Send test event" }).first().click();
  await page.getByRole("dialog").getByLabel("Event name").fill(c.sourceEvent);
  await page.getByRole("button", { name: "Send event" }).click();
  await expect(page.getByText(/Event accepted: evt_/)).toBeVisible();
  await expect(page.getByText("1 delivery started")).toBeVisible();

  // The destination really received the mapped body.
  const received = await waitFor(async () => stack.destination.received.find((r) => r.body.includes("ord_1042")), {
    timeoutMs: 15_000,
    message: "the destination to receive the event",
  });
  expect(JSON.parse(received.body)).toMatchObject({ orderId: "ord_1042" });

  // The events explorer lists it with its delivery.
  const row = page.getByRole("row").filter({ hasText: c.sourceEvent });
  await expect(row).toBeVisible();
  await expect(row.getByText("Success")).toBeVisible();
  await shot(page, "08-events");

  await page.goto(`/connectors/${c.id}?tab=deliveries`);
  const delivery = page.getByTestId("delivery-row").first();
  await expect(delivery.getByText("Success")).toBeVisible();
  await shot(page, "09-deliveries");
  await delivery.click();
  const drawer = page.getByRole("dialog");
  await expect(drawer.getByText("Attempt 1")).toBeVisible();
  await expect(drawer.getByText("HTTP 200").first()).toBeVisible();
  await expect(drawer.getByText(/"orderId": "ord_1042"/)).toBeVisible();
  await shot(page, "10-delivery-drawer");
  await page.keyboard.press("Escape");
  await expect(drawer).toHaveCount(0);
});

test("[ADMIN] a failing destination fills the DLQ; Retry DLQ requeues it and the deliveries reach SUCCESS", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const c = await seedConnector(stack, { name: "Flaky partner" });
  stack.destination.state.failWith = 503;
  for (const orderId of ["ord_dlq_1", "ord_dlq_2"]) {
    const res = await stack.api("POST", "/v1/events", { name: c.sourceEvent, payload: { orderId } });
    expect(res.status).toBe(202);
  }
  await waitFor(async () => (await deliveriesOf(stack, c.id)).filter((d) => d.status === "DLQ").length === 2, {
    timeoutMs: 30_000,
    message: "both deliveries to reach the DLQ",
  });

  await page.goto(`/connectors/${c.id}?tab=deliveries`);
  await expect(page.getByTestId("dlq-badge")).toHaveText("DLQ 2");
  await expect(page.getByTestId("dlq-count")).toHaveText("2 deliveries");
  await page.getByRole("button", { name: "DLQ", exact: true }).click();
  await expect(page.getByTestId("delivery-row")).toHaveCount(2);
  await shot(page, "11-dlq");

  // The destination recovers; the admin retries the whole DLQ.
  stack.destination.state.failWith = null;
  await page.getByRole("button", { name: "Retry DLQ" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Retry 2 deliveries" }).click();
  await expect(page.getByText("Requeued 2 deliveries")).toBeVisible();
  await page.getByRole("button", { name: "All", exact: true }).click();
  // The list updates by itself.
  await expect(page.getByTestId("delivery-row").filter({ hasText: "Success" })).toHaveCount(2, { timeout: 30_000 });
  await expect(page.getByTestId("dlq-badge")).toHaveCount(0);
  expect((await deliveriesOf(stack, c.id)).map((d) => d.status)).toEqual(["SUCCESS", "SUCCESS"]);

  // The drawer keeps the history: failed attempts of the first round, then the success.
  await page.getByTestId("delivery-row").first().click();
  const drawer = page.getByRole("dialog");
  await expect(drawer.getByText("HTTP 503").first()).toBeAttached();
  await expect(drawer.getByText("HTTP 200").first()).toBeVisible();
  await page.keyboard.press("Escape");

  await page.getByRole("tab", { name: "Metrics" }).click();
  await expect(page.getByText("Attempts per hour, last 24 hours")).toBeVisible();
  // Retrying the DLQ does not erase the outage: both first rounds still count as ended failed.
  await expect(page.getByRole("img", { name: /2 delivered, 4 failed attempts \(2 ended failed\)/ })).toBeVisible();
  await expect(page.getByRole("region", { name: "Failed attempts (24h)" }).getByTestId("stat-value")).toHaveText("4");
  await shot(page, "12-metrics");
});

test("[ADMIN] a FAILED delivery is retried on its own from the deliveries table", async ({ page, stack, signIn }) => {
  await signIn(page);
  const c = await seedConnector(stack, { name: "Strict partner" });
  stack.destination.state.failWith = 400;
  const res = await stack.api("POST", "/v1/events", { name: c.sourceEvent, payload: { orderId: "ord_400" } });
  expect(res.status).toBe(202);
  await waitFor(async () => (await deliveriesOf(stack, c.id))[0]?.status === "FAILED", {
    timeoutMs: 30_000,
    message: "a FAILED delivery",
  });

  await page.goto(`/connectors/${c.id}?tab=deliveries`);
  const row = page.getByTestId("delivery-row").first();
  await expect(row.getByText("Failed")).toBeVisible();
  await expect(row.getByText("HTTP 400")).toBeVisible();
  stack.destination.state.failWith = null;
  await row.getByRole("button", { name: /Retry delivery/ }).click();
  await expect(page.getByText("Delivery queued for retry")).toBeVisible();
  await expect(row.getByText("Success")).toBeVisible({ timeout: 30_000 });
});

test("[ADMIN] a viewer sees deliveries but cannot retry them", async ({ page, stack, signIn }) => {
  const c = await seedConnector(stack);
  stack.destination.state.failWith = 503;
  await stack.api("POST", "/v1/events", { name: c.sourceEvent, payload: { orderId: "ord_v" } });
  await waitFor(async () => (await deliveriesOf(stack, c.id))[0]?.status === "DLQ", {
    timeoutMs: 30_000,
    message: "a DLQ delivery",
  });
  await signIn(page, stack.viewerToken);
  await page.goto(`/connectors/${c.id}?tab=deliveries`);
  await expect(page.getByTestId("dlq-count")).toHaveText("1 delivery");
  await expect(page.getByRole("button", { name: "Retry DLQ" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Retry delivery/ })).toHaveCount(0);
  const forced = await page.request.post(`/api/engine/admin/integration-builder/connectors/${c.id}/retry-dlq`);
  expect(forced.status()).toBe(403);
  void uniqueEvent;
});
