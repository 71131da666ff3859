// Issue 14 item 11: an inbound source as a person manages it: the drawer fits its table, a received
// request opens with its headers and body (for roles that may read raw payloads; audited), the event
// mapping is edited in the UI, and the source can be disabled and deleted.
import { createHmac } from "node:crypto";
import { join } from "node:path";
import { expect, SCREENSHOTS, test, uniqueEvent, waitFor } from "./fixtures.ts";

const BASE = "/admin/integration-builder";
const SECRET = "whsec_e2e_sources_5f2a9c";

/** A webhook signed the way Stripe signs one. */
function stripeCall(url: string, body: object, secret = SECRET) {
  const payload = JSON.stringify(body);
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${payload}`).digest("hex");
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": `t=${t},v1=${v1}` },
    body: payload,
  });
}

test("[ADMIN] inbound source: edit its event mapping, open a received request, disable it, delete it", async ({
  page,
  stack,
  signIn,
}) => {
  const created = await stack.api("PUT", `${BASE}/sources`, {
    name: "Stripe (sources e2e)",
    kind: "webhook",
    verifier: "stripe",
    eventName: uniqueEvent("stripe.event"),
  });
  expect(created.status).toBe(201);
  const source = created.data.source;
  expect(
    (await stack.api("POST", `${BASE}/sources/${source.id}/secret`, { name: "signingSecret", value: SECRET })).status,
  ).toBe(201);
  const hookUrl = `${stack.engineUrl}${source.path}`;
  const mapped = uniqueEvent("payment.confirmed");
  const fallback = uniqueEvent("stripe.other");

  await signIn(page);
  await page.goto("/sources");
  await page.getByRole("cell", { name: "Stripe (sources e2e)" }).click();
  const drawer = page.getByRole("dialog", { name: "Stripe (sources e2e)" });
  await expect(drawer).toBeVisible();

  // The event mapping, edited in the form.
  await drawer.getByLabel("Default event").fill(fallback);
  await drawer.getByRole("button", { name: "Add mapping" }).click();
  await drawer.getByLabel("Provider type 1").fill("payment_intent.succeeded");
  await drawer.getByLabel("Event name 1").fill(mapped);
  await drawer.getByRole("button", { name: "Save event mapping" }).click();
  await expect(page.getByText("Source saved")).toBeVisible();
  const saved = (await stack.api("GET", `${BASE}/sources/${source.id}`)).data.source;
  expect(saved.eventName).toBe(fallback);
  expect(saved.eventMapping).toEqual({ "payment_intent.succeeded": mapped });

  // A signed webhook becomes the mapped event.
  const res = await stripeCall(hookUrl, {
    id: "evt_src_e2e_1",
    type: "payment_intent.succeeded",
    data: { amount: 4200 },
  });
  expect(res.status).toBe(200);
  await waitFor(async () => (await stack.api("GET", `${BASE}/events?name=${mapped}`)).data.events.length === 1, {
    timeoutMs: 20_000,
    message: "the webhook to become the mapped event",
  });

  // The received request, as it came.
  const row = drawer.getByTestId("webhook-row").filter({ hasText: "evt_src_e2e_1" });
  await expect(row).toContainText("processed", { timeout: 20_000 });
  await row.click();
  const request = drawer.getByTestId("webhook-request");
  await expect(request).toContainText("stripe-signature");
  await expect(request).toContainText('"type": "payment_intent.succeeded"');
  await expect(request).toContainText("recorded in the audit log");
  // The table fits the drawer: the last column is inside it.
  const box = await drawer.boundingBox();
  const cell = await row.getByRole("cell").last().boundingBox();
  expect(cell!.x + cell!.width).toBeLessThanOrEqual(box!.x + box!.width);
  await request.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, "56-source-request.png") });
  const audit = await stack.api("GET", `${BASE}/audit?action=inbound_webhook.raw.read`);
  expect(JSON.stringify(audit.data)).toContain(source.id);

  // Disabled: its webhooks are refused.
  await drawer.getByRole("switch", { name: "Source enabled" }).click();
  await expect(drawer.getByText("Disabled — webhooks are refused")).toBeVisible();
  expect((await stack.api("GET", `${BASE}/sources/${source.id}`)).data.source.enabled).toBe(false);
  const refused = await stripeCall(hookUrl, { id: "evt_src_e2e_2", type: "payment_intent.succeeded" });
  expect(refused.status).toBe(403);
  await expect(page.getByRole("row").filter({ hasText: "Stripe (sources e2e)" })).toContainText("paused");

  // Deleted.
  await drawer.getByRole("button", { name: "Delete source" }).click();
  await page.getByRole("dialog", { name: "Delete source?" }).getByRole("button", { name: "Delete source" }).click();
  await expect(drawer).toBeHidden();
  await expect(page.getByRole("cell", { name: "Stripe (sources e2e)" })).toHaveCount(0);
  expect((await stack.api("GET", `${BASE}/sources/${source.id}`)).status).toBe(404);
  expect((await stripeCall(hookUrl, { id: "evt_src_e2e_3", type: "x" })).status).toBe(404);
});

test("[ADMIN] inbound source: a viewer sees received webhooks but not their raw requests, and cannot change the source", async ({
  page,
  stack,
  signIn,
}) => {
  const created = await stack.api("PUT", `${BASE}/sources`, {
    name: "Viewer source (e2e)",
    kind: "webhook",
    verifier: "stripe",
    eventName: uniqueEvent("stripe.event"),
  });
  expect(created.status, JSON.stringify(created.data)).toBe(201);
  const source = created.data.source;
  await stack.api("POST", `${BASE}/sources/${source.id}/secret`, { name: "signingSecret", value: SECRET });
  await stripeCall(`${stack.engineUrl}${source.path}`, { id: "evt_src_view", type: "charge.refunded" }, "whsec_wrong");

  await signIn(page, stack.viewerToken);
  await page.goto("/sources");
  await page.getByRole("cell", { name: "Viewer source (e2e)" }).click();
  const drawer = page.getByRole("dialog", { name: "Viewer source (e2e)" });
  await expect(drawer.getByText("Your role cannot read received requests")).toBeVisible();
  const row = drawer.getByTestId("webhook-row").first();
  await expect(row).toContainText("rejected", { timeout: 20_000 });
  await row.click();
  await expect(drawer.getByTestId("webhook-request")).toHaveCount(0);
  await expect(drawer.getByRole("switch", { name: "Source enabled" })).toBeDisabled();
  await expect(drawer.getByRole("button", { name: "Delete source" })).toHaveCount(0);
  await expect(drawer.getByLabel("Default event")).toBeDisabled();
});
