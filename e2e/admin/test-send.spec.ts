import { expect, seedConnector, shot, test, uniqueEvent } from "./fixtures.ts";

const TOKEN = "tok-e2e-testsend-31f9a2";

test.afterEach(({ stack }) => {
  stack.destination.state.failWith = null;
});

// Issue 13 item 6: "Send test" in the editor sends one real request through the engine's delivery path and
// shows the masked request, the destination's answer, the duration and what a delivery would do with it.
test("[ADMIN] Send test sends one real request and shows the masked request, the response and the duration; no delivery is recorded", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const sourceEvent = uniqueEvent();
  const c = await seedConnector(stack, {
    name: "Test-send partner",
    sourceEvent,
    destination: {
      url: `${stack.destination.url}/orders`,
      method: "POST",
      headers: { Authorization: "Bearer <<secret.token>>" },
    },
    mapping: { orderId: "$.payload.orderId", cents: "{% $round(payload.total * 100) %}" },
    sampleEvent: { name: sourceEvent, payload: { orderId: "ord_ts_1", total: 19.9 } },
  });
  const secret = await stack.api("POST", `/admin/integration-builder/connectors/${c.id}/secret`, {
    name: "token",
    value: TOKEN,
  });
  expect(secret.status).toBe(200);

  await page.goto(`/connectors/${c.id}`);
  const panel = page.getByTestId("test-send");
  await expect(panel.getByText("No delivery is recorded")).toBeVisible();
  // The destination is shared with the other specs (whose deliveries and retries may arrive meanwhile):
  // only the requests carrying this test's secret are this test's.
  const mine = () => stack.destination.received.filter((r) => r.headers.authorization === `Bearer ${TOKEN}`);
  const before = mine().length;
  await panel.getByRole("button", { name: "Send test" }).click();

  // What the user sees: success, the status, the duration, the request with the secret masked, the answer.
  await expect(panel.getByTestId("test-send-summary")).toContainText("Success");
  await expect(panel.getByTestId("test-send-status")).toHaveText("HTTP 200");
  await expect(panel.getByTestId("test-send-duration")).toHaveText(/^\d+ ms$/);
  const request = panel.getByTestId("test-send-request");
  await expect(request).toContainText(`${stack.destination.url}/orders`);
  await expect(request).toContainText("Bearer ••••••");
  await expect(request).toContainText('"cents": 1990');
  await expect(request).toContainText("Idempotency-Key");
  await expect(panel.getByTestId("test-send-response")).toContainText('"ok": true');
  await expect(panel).not.toContainText(TOKEN);
  await shot(page, "40-connector-send-test");

  // What the destination got: one real request with the real secret and the rendered expression.
  expect(mine()).toHaveLength(before + 1);
  const got = mine().at(-1)!;
  expect(got.headers.authorization).toBe(`Bearer ${TOKEN}`);
  expect(JSON.parse(got.body)).toEqual({ orderId: "ord_ts_1", cents: 1990 });
  expect(String(got.headers["idempotency-key"])).toMatch(/^tst_/);

  // What the engine stored: no delivery; an audit entry.
  const logs = await stack.api("GET", `/admin/integration-builder/connectors/${c.id}/logs`);
  expect(logs.status).toBe(200);
  expect(logs.data.deliveries).toHaveLength(0);
  const audit = await stack.api("GET", "/admin/integration-builder/audit?action=connector.test");
  expect(JSON.stringify(audit.data)).toContain(c.id);

  // A failing destination: the answer says what a delivery would do, with the error and the body.
  stack.destination.state.failWith = 503;
  await page.waitForTimeout(1100); // one test send per connector per second
  await panel.getByRole("button", { name: "Send test" }).click();
  await expect(panel.getByTestId("test-send-summary")).toContainText("Would be retried");
  await expect(panel.getByTestId("test-send-status")).toHaveText("HTTP 503");
  await expect(panel.getByTestId("test-send-error")).toContainText("HTTP 503");
  await expect(panel.getByTestId("test-send-response")).toContainText("destination down (e2e)");
  await shot(page, "41-connector-send-test-failing");
});

test("[ADMIN] Send test is not offered to a viewer, nor before the connector is saved", async ({
  page,
  stack,
  signIn,
}) => {
  const c = await seedConnector(stack, { name: "Viewer sees no send" });
  await signIn(page, stack.viewerToken);
  await page.goto(`/connectors/${c.id}`);
  await expect(page.getByRole("button", { name: "View as JSON" })).toBeVisible();
  await expect(page.getByTestId("preview")).toBeVisible();
  await expect(page.getByTestId("test-send")).toHaveCount(0);

  await signIn(page);
  await page.goto("/connectors/new");
  await expect(page.getByText("Not saved yet")).toBeVisible();
  await expect(page.getByTestId("test-send")).toHaveCount(0);
});
