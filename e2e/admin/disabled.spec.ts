import { expect, seedConnector, shot, test, waitFor } from "./fixtures.ts";

test.afterEach(({ stack }) => {
  stack.destination.state.failWith = null;
});

// Issue 11 item 9: a destination answering 410 Gone makes the engine disable the connector; the admin says
// so, with the reason, and enabling it again is one click that changes nothing else.
test("[ADMIN] a connector disabled by the engine after 410 Gone shows why, and Enable turns it back on", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const c = await seedConnector(stack, { name: "Gone partner", description: "Receives order events" });
  const path = `/admin/integration-builder/connectors/${c.id}`;
  stack.destination.state.failWith = 410;
  const gone = await stack.api("POST", "/v1/events", { name: c.sourceEvent, payload: { orderId: "ord_gone" } });
  expect(gone.status).toBe(202);
  const disabled = await waitFor(
    async () => {
      const res = await stack.api("GET", path);
      return res.data.enabled === false && res.data.disabledReason ? res.data : null;
    },
    { timeoutMs: 30_000, message: "the engine to disable the connector" },
  );
  stack.destination.state.failWith = null;
  expect(disabled.disabledAt).toEqual(expect.any(String));

  // The list marks it.
  await page.goto("/connectors");
  const row = page.getByRole("row").filter({ hasText: "Gone partner" });
  await expect(row.getByTestId("disabled-marker")).toHaveText("disabled by the engine");
  await expect(row.getByRole("switch", { name: "Gone partner enabled" })).toHaveAttribute("aria-checked", "false");
  await shot(page, "23-connectors-disabled-by-engine");

  // The connector page says why and when.
  await row.getByRole("link", { name: "Gone partner" }).click();
  const banner = page.getByRole("alert").filter({ hasText: "Disabled by the engine" });
  await expect(banner.getByTestId("disabled-reason")).toContainText(
    `Disabled by the engine: ${disabled.disabledReason}, `,
  );
  await expect(page.getByText("disabled by the engine", { exact: true })).toBeVisible();
  await shot(page, "24-connector-disabled-banner");

  // One click enables it; nothing else about the connector changes.
  await banner.getByRole("button", { name: "Enable" }).click();
  await expect(page.getByText("Connector enabled")).toBeVisible();
  await expect(banner).toHaveCount(0);
  await expect(page.getByText("enabled", { exact: true })).toBeVisible();
  const enabled = (await stack.api("GET", path)).data;
  expect(enabled).toMatchObject({
    enabled: true,
    disabledReason: null,
    disabledAt: null,
    version: disabled.version + 1,
  });
  const rest = (x: Record<string, unknown>) => {
    const { enabled: _e, disabledReason: _r, disabledAt: _a, version: _v, updatedAt: _u, ...others } = x;
    return others;
  };
  expect(rest(enabled)).toEqual(rest(disabled));
  // The editor shows the new version and nothing to save.
  await expect(page.getByText(new RegExp(`${c.id} · v${enabled.version}$`))).toBeVisible();
  await expect(page.getByText("All changes saved")).toBeVisible();

  // It delivers again.
  const back = await stack.api("POST", "/v1/events", { name: c.sourceEvent, payload: { orderId: "ord_back" } });
  expect(back.status).toBe(202);
  await waitFor(async () => stack.destination.received.find((r) => r.body.includes("ord_back")), {
    timeoutMs: 30_000,
    message: "a delivery after enabling",
  });
});
