import { startReceiver } from "@ib/testing";
import { expect, type Stack, seedConnector, shot, test, uniqueEvent, waitFor } from "./fixtures.ts";

const BASE = "/admin/integration-builder";

// A payments provider stand-in: it answers each charge with a payment id and the amount it took.
async function paymentsApi() {
  return startReceiver((req, _n, res) => {
    const body = JSON.parse(req.body || "{}") as { orderId?: string; amount?: number };
    res.writeHead(201, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: `pay_${body.orderId}`, amount: body.amount, status: "pending" }));
  });
}

async function expectingConnector(stack: Stack, url: string, name: string, withinMs: number) {
  const eventName = uniqueEvent("payment.confirmed");
  const connector = await seedConnector(stack, {
    name,
    destination: { url: `${url}/charges`, method: "POST" },
    mapping: { orderId: "$.payload.orderId", amount: "$.payload.amount" },
    expect: {
      eventName,
      key: "$.response.body.id",
      eventKey: "$.payload.paymentId",
      withinMs,
      compare: [{ expected: "$.event.payload.amount", observed: "$.payload.amount" }],
    },
  });
  return { ...connector, eventName };
}

async function ingest(stack: Stack, name: string, payload: unknown) {
  const res = await stack.api("POST", "/v1/events", { name, payload });
  expect(res.status, JSON.stringify(res.data)).toBe(202);
  return res.data as { id: string };
}

async function expectations(stack: Stack, query: string) {
  const res = await stack.api("GET", `${BASE}/reconciliation?${query}`);
  expect(res.status).toBe(200);
  return res.data.items as Array<{ id: string; status: string; key: string | null }>;
}

// Issue 17: the Reconciliation page shows, per connector, what the provider confirmed, what differs, what
// never came and what came unasked; an expectation's detail puts the delivery and the confirmation side by side.
test("[ADMIN] Reconciliation: summary per connector, list by status, detail with differences highlighted", async ({
  page,
  stack,
  signIn,
}) => {
  const provider = await paymentsApi();
  try {
    const charges = await expectingConnector(stack, provider.url, "Card charges", 600_000);
    const late = await expectingConnector(stack, provider.url, "Bank transfers", 1_000);
    for (const [connector, orderId, amount] of [
      [charges, "o1", 4990],
      [charges, "o2", 1500],
      [late, "o3", 700],
    ] as const) {
      await ingest(stack, connector.sourceEvent, { orderId, amount });
    }
    await waitFor(async () => (await expectations(stack, `connectorId=${charges.id}&status=OPEN`)).length === 2, {
      message: "two open expectations",
    });
    // The provider confirms o1 as charged, o2 with another amount, and a payment nobody asked for.
    await ingest(stack, charges.eventName, { paymentId: "pay_o1", amount: 4990 });
    await ingest(stack, charges.eventName, { paymentId: "pay_o2", amount: 1200 });
    await ingest(stack, charges.eventName, { paymentId: "pay_unknown", amount: 1 });
    // Nobody confirms the bank transfer: the sweep marks it missing after its second.
    await waitFor(async () => (await expectations(stack, `connectorId=${late.id}&status=MISSING`)).length === 1, {
      timeoutMs: 30_000,
      message: "the bank transfer to be missing",
    });

    await signIn(page);
    await page.goto("/reconciliation");
    await expect(page.getByRole("heading", { name: "Reconciliation" })).toBeVisible();
    const chargesRow = page.getByTestId("summary-connector").filter({ hasText: "Card charges" });
    await expect(chargesRow.getByRole("cell")).toHaveText(["Card charges", "0", "1", "1", "0", "1", "—"]);
    const lateRow = page.getByTestId("summary-connector").filter({ hasText: "Bank transfers" });
    await expect(lateRow.getByRole("cell")).toHaveText(["Bank transfers", "0", "0", "0", "1", "0", "—"]);
    await shot(page, "70-reconciliation-summary");

    // The list by status: the missing one, then what came unasked.
    await page.getByRole("tab", { name: "Missing" }).click();
    await expect(page.getByTestId("expectation-row")).toHaveCount(1);
    await expect(page.getByTestId("expectation-row")).toContainText("pay_o3");
    await page.getByRole("tab", { name: "Unexpected" }).click();
    await expect(page.getByTestId("unexpected-row")).toContainText("pay_unknown");
    await expect(page.getByTestId("unexpected-row")).toContainText("no expectation with this key");

    // The mismatch's detail: expected and observed side by side, the differing amount highlighted.
    await chargesRow.getByRole("button", { name: "Mismatch: 1 of Card charges" }).click();
    await expect(page.getByRole("tab", { name: "Mismatch" })).toHaveAttribute("aria-selected", "true");
    await page.getByTestId("expectation-row").filter({ hasText: "pay_o2" }).click();
    const detail = page.getByTestId("expectation-detail");
    await expect(detail).toBeVisible();
    const compared = detail.getByTestId("compare-row");
    await expect(compared).toHaveAttribute("data-differs", "true");
    await expect(compared).toContainText("1500");
    await expect(compared).toContainText("1200");
    await expect(compared).toContainText("differs");
    await expect(detail.getByTestId("delivery-side")).toContainText("pay_o2");
    await expect(detail.getByTestId("confirmation-side")).toContainText(charges.eventName);
    await shot(page, "71-reconciliation-mismatch-detail");
  } finally {
    await provider.close();
  }
});

test("[ADMIN] A connector's Reconciliation settings: the key picked from a sample answer, saved as expect", async ({
  page,
  stack,
  signIn,
}) => {
  const c = await seedConnector(stack, { name: "Refunds partner" });
  const eventName = uniqueEvent("refund.confirmed");
  await signIn(page);
  await page.goto(`/connectors/${c.id}`);
  const section = page.getByTestId("expect-section");
  await section.getByRole("switch", { name: "Expect a confirmation" }).click();
  await section.getByLabel("Confirmation event", { exact: true }).fill(eventName);
  await section.getByText("Samples for the pickers (not saved)").click();
  await section.getByLabel("A sample answer of the destination").fill('{"refund": {"id": "re_9", "amount": 300}}');
  await section.getByLabel("Pick key, from the delivery from the sample").selectOption("$.response.body.refund.id");
  await expect(section.getByLabel("Key, from the delivery", { exact: true })).toHaveValue("$.response.body.refund.id");
  await section.getByLabel("A sample confirmation event").fill('{"payload": {"refundId": "re_9"}}');
  await section.getByLabel("Pick key, in the confirmation from the sample").selectOption("$.payload.refundId");
  await section.getByLabel("Wait up to").fill("2");
  await section.getByLabel("Unit").selectOption("h");
  await shot(page, "72-connector-reconciliation-settings");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("All changes saved")).toBeVisible();

  const saved = await stack.api("GET", `${BASE}/connectors/${c.id}`);
  expect(saved.data.expect).toEqual({
    eventName,
    key: "$.response.body.refund.id",
    eventKey: "$.payload.refundId",
    withinMs: 2 * 3_600_000,
  });

  // A path that is not one is refused by the engine, and the form says so at the field.
  await section.getByLabel("Key, in the confirmation", { exact: true }).fill("payload.refundId");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(section.getByText(/must be a JSONPath/)).toBeVisible();
});
