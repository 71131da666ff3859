// Issue 14 items 1-8: a connector built without writing JSON. The sample comes from a real event, fields are
// clicked out of it, a formula and a fixed value are added, a filter rule too; what the engine stores and
// what a real delivery brings a 127.0.0.1 receiver are checked, and JSON ⇄ Visual loses nothing.
import { lookup } from "node:dns/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { expect, SCREENSHOTS, seedConnector, shot, test, uniqueEvent, waitFor } from "./fixtures.ts";

const BASE = "/admin/integration-builder";

/** The editor's Mapping card, for a close-up screenshot. */
const mappingCard = (page: Page) =>
  page.locator("section", { has: page.getByRole("heading", { name: "Mapping", exact: true }) });

/** A close-up of one part of the page, without the sticky toolbar over it. */
async function closeUp(page: Page, part: ReturnType<Page["locator"]>, name: string) {
  const style = await page.addStyleTag({ content: ".sticky { position: static !important; }" });
  await part.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  await style.evaluate((el) => (el as HTMLElement).remove());
}

/** A node of the sample tree, by its JSONPath (the start of its accessible name). */
const node = (page: Page, path: string) =>
  page.getByRole("button", { name: new RegExp(`^${path.replace(/[$.[\]]/g, "\\$&")} `) });

test("[ADMIN] build a connector entirely in Visual mode: fields clicked from a recent event, a formula, a fixed value, a filter rule; stored and delivered as built", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const sourceEvent = uniqueEvent();
  // A real event first.
  const payload = {
    orderId: "ord_vis_1",
    total: 4250,
    createdAt: "2026-05-06T07:08:09.000Z",
    customer: { name: "Ada Lovelace", email: "ada@example.com" },
    country: "BR",
    items: [{ sku: "BOOK-1", qty: 2 }],
  };
  const sent = await stack.api("POST", "/v1/events", { name: sourceEvent, source: "shop", payload });
  expect(sent.status).toBe(202);

  await page.goto("/connectors/new");
  await page.getByLabel("Name", { exact: true }).fill("Visual orders");
  await page.getByLabel("Source event").fill(sourceEvent);
  await page.getByLabel("URL", { exact: true }).fill(`${stack.destination.url}/visual`);

  // The mapping opens as the form; the demo fields go.
  await expect(page.getByRole("button", { name: "Visual", exact: true })).toHaveAttribute("aria-pressed", "true");
  const rows = page.getByTestId("field-row");
  while ((await rows.count()) > 0)
    await rows
      .first()
      .getByRole("button", { name: /^Remove / })
      .click();

  // The sample: the event just received, its keys in the order sent (the events store keeps them so).
  await page.getByRole("button", { name: "Use a recent event" }).click();
  await page.getByRole("button", { name: `Use ${sent.data.id} as the sample` }).click();
  await expect(node(page, "$.payload.createdAt")).toBeVisible();
  await expect(page.locator('[data-editor="connector-sample-event.json"]')).toContainText(sent.data.id);
  const treeOrder = page
    .getByRole("list", { name: "Sample event fields" })
    .getByRole("button", { name: /^\$\.payload\.\w+ / });
  const keys = Object.keys(payload);
  await expect(treeOrder).toHaveCount(keys.length);
  for (const [i, key] of keys.entries())
    await expect(treeOrder.nth(i)).toHaveAccessibleName(new RegExp(`^\\$\\.payload\\.${key} `));

  // Three fields clicked out of the sample.
  await node(page, "$.payload.orderId").click();
  await node(page, "$.payload.customer.email").click();
  await node(page, "$.payload.country").click();
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0).getByLabel("Name of orderId")).toHaveValue("orderId");
  await expect(rows.nth(1).getByLabel("Value of email")).toHaveValue("$.payload.customer.email");
  // Each row shows its own result for the sample.
  await expect(rows.nth(0).getByTestId("field-result")).toHaveText('"ord_vis_1"');
  await expect(rows.nth(1).getByTestId("field-result")).toHaveText('"ada@example.com"');

  // A formula: the date, formatted, from the function palette.
  await node(page, "$.payload.createdAt").click();
  const dateRow = rows.nth(3);
  await dateRow.getByLabel("Name of createdAt").fill("placedOn");
  await dateRow.getByLabel("Kind of placedOn").selectOption("formula");
  await expect(dateRow.getByLabel("Value of placedOn")).toHaveValue("payload.createdAt");
  await dateRow.getByRole("button", { name: "Functions" }).click();
  await dateRow.getByRole("button", { name: /^Format date/ }).click();
  await expect(dateRow.getByLabel("Value of placedOn")).toHaveValue(
    "$formatDate(payload.createdAt, '[D01]/[M01]/[Y0001]')",
  );
  await expect(dateRow.getByTestId("field-result")).toHaveText('"06/05/2026"');

  // A formula that fails shows its own error on its row, and the others keep their values.
  await dateRow.getByLabel("Value of placedOn").fill("$formatDate(payload.orderId)");
  await expect(dateRow.getByRole("alert")).toContainText("mapping.placedOn");
  await expect(rows.nth(0).getByTestId("field-result")).toHaveText('"ord_vis_1"');
  await dateRow.getByLabel("Value of placedOn").fill("$formatDate(payload.createdAt, '[D01]/[M01]/[Y0001]')");
  await expect(dateRow.getByTestId("field-result")).toHaveText('"06/05/2026"');

  // A fixed value, typed.
  await page.getByRole("button", { name: "Add field" }).click();
  const fixedRow = rows.nth(4);
  await fixedRow.getByLabel("Name of field 5").fill("schemaVersion");
  await fixedRow.getByLabel("Type for schemaVersion").selectOption("number");
  await fixedRow.getByLabel("Value of schemaVersion").fill("2");
  await expect(fixedRow.getByTestId("field-result")).toHaveText("2");

  // A value set by clicking while the field's value is focused: a text with fields gets a chip inserted.
  await page.getByRole("button", { name: "Add field" }).click();
  const textRow = rows.nth(5);
  await textRow.getByLabel("Name of field 6").fill("note");
  await textRow.getByLabel("Kind of note").selectOption("text");
  await textRow.getByLabel("Value of note").fill("Order ");
  await textRow.getByLabel("Value of note").focus();
  await node(page, "$.payload.orderId").click();
  await expect(textRow.getByLabel("Value of note")).toHaveValue("Order <<event.payload.orderId>>");
  await expect(textRow.getByTestId("field-result")).toHaveText('"Order ord_vis_1"');
  await expect(rows).toHaveCount(6);

  // The filter: only Brazil.
  const filter = page.getByRole("region", { name: "Filter" });
  await filter.getByLabel("When to deliver").selectOption("all");
  await filter.getByLabel("Field of condition 1").fill("$.payload.country");
  await filter.getByLabel("Value of condition 1").fill("BR");
  await expect(filter.getByTestId("filter-verdict")).toHaveText("✓ The sample event passes.");
  await filter.getByLabel("Value of condition 1").fill("AR");
  await expect(filter.getByTestId("filter-verdict")).toContainText("does not pass");
  await expect(page.getByTestId("preview-filter")).toContainText("does not pass the filter");
  await filter.getByLabel("Value of condition 1").fill("BR");
  await expect(filter.getByTestId("filter-verdict")).toHaveText("✓ The sample event passes.");

  // The preview shows the complete request: the body built and the headers the engine adds.
  const body = page.getByTestId("preview-body");
  await expect(body).toContainText('"placedOn": "06/05/2026"');
  await expect(page.getByTestId("preview-headers")).toContainText("Idempotency-Key");
  await expect(page.getByTestId("preview-headers")).toContainText("added by the engine");
  await shot(page, "50-mapper-visual");
  await closeUp(page, mappingCard(page), "57-mapper-card");
  await closeUp(page, filter, "58-filter-card");

  // JSON and back: nothing lost.
  await page.getByRole("button", { name: "JSON", exact: true }).click();
  const json = page.locator('[data-editor="connector-mapping.json"] .monaco-editor');
  await expect(json).toContainText("$formatDate");
  await expect(json).toContainText("schemaVersion");
  await shot(page, "51-mapper-json");
  await page.getByRole("button", { name: "Visual", exact: true }).click();
  await expect(rows).toHaveCount(6);
  await expect(rows.nth(3).getByLabel("Value of placedOn")).toHaveValue(
    "$formatDate(payload.createdAt, '[D01]/[M01]/[Y0001]')",
  );

  await page.getByRole("button", { name: "Create connector" }).click();
  await expect(page).toHaveURL(/\/connectors\/con_[0-9a-z]{26}$/);
  const id = page.url().split("/").pop()!;

  // What the engine stored: the mapping as built, in that order; the filter; the sample, its payload in the
  // order the event was received.
  const stored = (await stack.api("GET", `${BASE}/connectors/${id}`)).data;
  expect(JSON.stringify(stored.mapping)).toBe(
    JSON.stringify({
      orderId: "$.payload.orderId",
      email: "$.payload.customer.email",
      country: "$.payload.country",
      placedOn: "{% $formatDate(payload.createdAt, '[D01]/[M01]/[Y0001]') %}",
      schemaVersion: 2,
      note: "Order <<event.payload.orderId>>",
    }),
  );
  expect(stored.filter).toEqual({ all: [{ path: "$.payload.country", op: "eq", value: "BR" }] });
  expect(stored.sampleEvent.id).toBe(sent.data.id);
  expect(JSON.stringify(stored.sampleEvent.payload)).toBe(JSON.stringify(payload));

  // A real delivery: the body the receiver gets. An event the filter rejects gets none.
  const before = stack.destination.received.length;
  const rejected = await stack.api("POST", "/v1/events", { name: sourceEvent, payload: { ...payload, country: "US" } });
  expect(rejected.data.deliveries).toEqual([]);
  const accepted = await stack.api("POST", "/v1/events", {
    name: sourceEvent,
    payload: { ...payload, orderId: "ord_vis_2" },
  });
  expect(accepted.data.deliveries).toHaveLength(1);
  const got = await waitFor(() => stack.destination.received.slice(before).find((r) => r.url === "/visual"), {
    timeoutMs: 15_000,
    message: "the delivery to reach the receiver",
  });
  expect(got.body).toBe(
    JSON.stringify({
      orderId: "ord_vis_2",
      email: "ada@example.com",
      country: "BR",
      placedOn: "06/05/2026",
      schemaVersion: 2,
      note: "Order ord_vis_2",
    }),
  );

  // Reopened: the form again, as saved.
  await page.reload();
  await expect(page.getByRole("button", { name: "Visual", exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect(rows).toHaveCount(6);
  await expect(page.getByText("All changes saved")).toBeVisible();
  await shot(page, "52-mapper-saved");
});

test("[ADMIN] for each item builds a list of objects; a mapping the form cannot show opens in JSON with the reason", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const sourceEvent = uniqueEvent();
  const c = await seedConnector(stack, {
    name: "Line items",
    sourceEvent,
    mapping: { orderId: "$.payload.orderId" },
    sampleEvent: {
      name: sourceEvent,
      payload: {
        orderId: "ord_li",
        items: [
          { sku: "A", qty: 1, price: 2.5 },
          { sku: "B", qty: 3, price: 1 },
        ],
      },
    },
  });
  await page.goto(`/connectors/${c.id}`);
  await page.getByRole("button", { name: "For each item of $.payload.items" }).click();
  const rows = page.getByTestId("field-row");
  const items = rows.nth(1);
  await expect(items.getByTestId("each-source")).toHaveText("$.payload.items");
  await expect(items.getByTestId("field-result")).toHaveText(
    '[{"sku":"A","qty":1,"price":2.5},{"sku":"B","qty":3,"price":1}]',
  );
  // One item field becomes a formula over the item.
  await items.getByLabel("Kind of items item field price").selectOption("formula");
  await items.getByLabel("Value of items item field price").fill("$round($item.price * 100)");
  await expect(items.getByTestId("field-result")).toHaveText(
    '[{"sku":"A","qty":1,"price":250},{"sku":"B","qty":3,"price":100}]',
  );
  await shot(page, "53-mapper-for-each");
  await closeUp(page, mappingCard(page), "59-mapper-for-each-card");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("All changes saved")).toBeVisible();
  const stored = (await stack.api("GET", `${BASE}/connectors/${c.id}`)).data;
  expect(stored.mapping.items).toBe(
    '{% [$map(payload.items, function($item) { {"sku": $item.sku, "qty": $item.qty, "price": ($round($item.price * 100))} })] %}',
  );

  // A shape the form cannot show.
  const odd = await seedConnector(stack, {
    name: "Odd shape",
    sourceEvent,
    mapping: { tags: ["a", "$.payload.orderId"] },
  });
  await page.goto(`/connectors/${odd.id}`);
  await expect(page.getByRole("button", { name: "JSON", exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("mapping-json-reason")).toContainText('"tags" is a list');
  await page.getByRole("button", { name: "Visual", exact: true }).click();
  await expect(page.getByRole("button", { name: "JSON", exact: true })).toHaveAttribute("aria-pressed", "true");
  // Never received: the source event field says so.
  await expect(page.getByTestId("source-never-seen")).toContainText(`No event named ${sourceEvent}`);
});

test("[ADMIN] Send test shows the response inline; for an enabled connector with a live destination it asks first", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const sourceEvent = uniqueEvent();
  const sandbox = await seedConnector(stack, {
    name: "Sandbox send",
    sourceEvent,
    destination: { url: `${stack.destination.url}/sandbox`, method: "POST" },
    sampleEvent: { name: sourceEvent, payload: { orderId: "ord_ts" } },
  });
  await page.goto(`/connectors/${sandbox.id}`);
  const panel = page.getByTestId("test-send");
  await panel.getByRole("button", { name: "Send test" }).click();
  // 127.0.0.1 is a sandbox: no question, the answer inline.
  await expect(panel.getByTestId("test-send-status")).toHaveText("HTTP 200");
  await expect(panel.getByTestId("test-send-response")).toContainText('"ok": true');
  await expect(panel.getByTestId("test-send-duration")).toHaveText(/^\d+ ms$/);

  // This machine under another name (e.g. "vm" in /etc/hosts) is not a sandbox by name.
  const host = hostname();
  const local = await lookup(host).then(
    (a) => a.address.startsWith("127."),
    () => false,
  );
  test.skip(!local, `${host} does not resolve to this machine`);
  const port = new URL(stack.destination.url).port;
  const live = await seedConnector(stack, {
    name: "Live send",
    sourceEvent,
    destination: { url: `http://${host}:${port}/live`, method: "POST" },
  });
  await page.goto(`/connectors/${live.id}`);
  // The destination is shared with the other specs: only requests to /live are this test's.
  const liveRequests = () => stack.destination.received.filter((r) => r.url === "/live");
  const before = liveRequests().length;
  await panel.getByRole("button", { name: "Send test" }).click();
  const dialog = page.getByRole("dialog", { name: "Send a real request to a live destination?" });
  await expect(dialog).toContainText(`${host}:${port}`);
  await page.screenshot({ path: join(SCREENSHOTS, "54-send-test-confirm.png") });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  expect(liveRequests()).toHaveLength(before);
  await panel.getByRole("button", { name: "Send test" }).click();
  await dialog.getByRole("button", { name: "Send the test" }).click();
  await expect(panel.getByTestId("test-send-status")).toHaveText("HTTP 200");
  expect(liveRequests()).toHaveLength(before + 1);
  await shot(page, "55-send-test-live");
});
