import { expect, shot, test, uniqueEvent, waitFor } from "./fixtures.ts";

// Issue 11 item 1: a preset that sends the event envelope (mapping null) must keep doing so after the
// connector is edited in the admin; saving used to store `mapping: {}`, so every delivery's body was `{}`.
test("[ADMIN] a connector from the Standard Webhooks preset keeps sending the event envelope after an edit", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  await page.goto("/presets");
  const eventName = uniqueEvent("order");
  await page.getByRole("button", { name: "Use Standard Webhooks signed" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Connector name").fill("Envelope keeper (e2e)");
  await dialog.getByLabel("Source event").fill(eventName);
  await dialog.getByLabel("Receiver URL").fill(`${stack.destination.url}/envelope`);
  await dialog
    .getByLabel("Signing secret")
    .fill(`whsec_${Buffer.from("e2e-envelope-secret-0123456789").toString("base64")}`);
  await dialog.getByRole("button", { name: "Create connector" }).click();
  await expect(page).toHaveURL(/\/connectors\/con_/);
  const id = page.url().split("/").pop()!.split("?")[0]!;
  const created = (await stack.api("GET", `/admin/integration-builder/connectors/${id}`)).data;
  expect(created.mapping).toBeNull();

  // The editor shows the envelope as its own choice, not an empty `{}` mapping.
  const envelope = page.getByRole("radio", { name: /Send the event envelope/ });
  await expect(envelope).toBeChecked();
  await expect(page.getByRole("radio", { name: /Custom mapping/ })).not.toBeChecked();
  await expect(page.locator('[data-editor="connector-mapping.json"]')).toHaveCount(0);
  await expect(page.getByTestId("preview-body")).toContainText('"payload"');
  await shot(page, "20-preset-envelope");

  // Change only the description and save.
  await page.getByLabel("Description").fill("Edited in the admin (e2e)");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("All changes saved")).toBeVisible();
  const saved = (await stack.api("GET", `/admin/integration-builder/connectors/${id}`)).data;
  expect(saved.version).toBe(created.version + 1);
  const same = (c: Record<string, unknown>) => ({ ...c, version: 0, updatedAt: "", description: "" });
  expect(same(saved)).toEqual(same(created));
  expect(saved.description).toBe("Edited in the admin (e2e)");
  expect(saved.mapping).toBeNull();
  await expect(envelope).toBeChecked();

  // A delivery carries the envelope, signed, not `{}`.
  const ingest = await stack.api("POST", "/v1/events", {
    name: eventName,
    source: "shop",
    payload: { orderId: "ord_env_1" },
  });
  expect(ingest.status).toBe(202);
  const received = await waitFor(async () => stack.destination.received.find((r) => r.url === "/envelope"), {
    timeoutMs: 30_000,
    message: "the delivery to the receiver",
  });
  const body = JSON.parse(received.body);
  expect(body).toEqual({
    id: ingest.data.id,
    name: eventName,
    source: "shop",
    time: expect.any(String),
    payload: { orderId: "ord_env_1" },
  });
  expect(received.headers["webhook-signature"]).toMatch(/^v1,/);
});
