import { expect, seedConnector, shot, test, waitFor } from "./fixtures.ts";

test.afterEach(({ stack }) => {
  stack.destination.state.failWith = null;
});

// Issue 11 item 8: "Delivered" (deliveries that ended successfully) and "Failed attempts" (every attempt
// that did not succeed, retried or not) are separate figures, on the metrics tab and in the list.
test("[ADMIN] the metrics tab and the connectors list show delivered deliveries and failed attempts for 24 h", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const c = await seedConnector(stack, { name: "Counted partner", retryMaxAttempts: 2 });
  const statusOf = async (eventId: string) => {
    const res = await stack.api("GET", `/admin/integration-builder/connectors/${c.id}/logs`, undefined);
    return (res.data.deliveries as Array<{ eventId: string; status: string }>).find((d) => d.eventId === eventId)
      ?.status;
  };
  // One delivery fails both its attempts (DLQ), then one succeeds at once.
  stack.destination.state.failWith = 503;
  const failing = await stack.api("POST", "/v1/events", { name: c.sourceEvent, payload: { orderId: "ord_m1" } });
  expect(failing.status).toBe(202);
  await waitFor(async () => (await statusOf(failing.data.id)) === "DLQ", {
    timeoutMs: 30_000,
    message: "the first delivery to reach the DLQ",
  });
  stack.destination.state.failWith = null;
  const ok = await stack.api("POST", "/v1/events", { name: c.sourceEvent, payload: { orderId: "ord_m2" } });
  await waitFor(async () => (await statusOf(ok.data.id)) === "SUCCESS", {
    timeoutMs: 30_000,
    message: "the second delivery to succeed",
  });

  const metrics = (await stack.api("GET", `/admin/integration-builder/connectors/${c.id}/metrics`)).data;
  expect(metrics).toMatchObject({ success24h: 1, failure24h: 1, failedAttempts24h: 2, attempts24h: 3 });

  await page.goto(`/connectors/${c.id}?tab=metrics`);
  const delivered = page.getByRole("region", { name: "Delivered (24h)" });
  await expect(delivered.getByTestId("stat-value")).toHaveText("1");
  await expect(delivered).toContainText("1 ended failed · 50.0% success rate");
  const failedAttempts = page.getByRole("region", { name: "Failed attempts (24h)" });
  await expect(failedAttempts.getByTestId("stat-value")).toHaveText("2");
  await expect(failedAttempts).toContainText("of 3 attempts");
  await expect(page.getByRole("img", { name: /1 delivered, 2 failed attempts \(1 ended failed\)/ })).toBeVisible();
  await shot(page, "21-metrics-failed-attempts");

  await page.goto("/connectors");
  const row = page.getByRole("row").filter({ hasText: c.name });
  await expect(row.getByTestId("delivered-24h")).toHaveText("1 delivered");
  await expect(row.getByTestId("delivered-24h")).toHaveAttribute("title", /50.0% success rate/);
  await expect(row.getByTestId("failed-attempts-24h")).toHaveText("2 failed attempts");
  await shot(page, "22-connectors-failed-attempts");
});
