import { expect, seedConnector, shot, test, uniqueEvent } from "./fixtures.ts";

test("[ADMIN] presets gallery: pick a preset, give it its settings and secrets, get a ready connector", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  await page.goto("/presets");
  await expect(page.getByRole("heading", { name: "HTTP webhook" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Standard Webhooks signed" })).toBeVisible();
  await shot(page, "13-presets");

  const eventName = uniqueEvent("payment");
  await page.getByRole("button", { name: "Use Standard Webhooks signed" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Connector name").fill("Signed hook (e2e)");
  await dialog.getByLabel("Source event").fill(eventName);
  await dialog.getByLabel("Receiver URL").fill(`${stack.destination.url}/signed`);
  const secret = `whsec_${Buffer.from("e2e-signing-secret-0123456789ab").toString("base64")}`;
  await dialog.getByLabel("Signing secret").fill(secret);
  await dialog.getByRole("button", { name: "Create connector" }).click();

  await expect(page).toHaveURL(/\/connectors\/con_/);
  await expect(page.getByRole("heading", { name: "Signed hook (e2e)" })).toBeVisible();
  const id = page.url().split("/").pop()!.split("?")[0]!;
  const stored = await stack.api("GET", `/admin/integration-builder/connectors/${id}`);
  expect(stored.data).toMatchObject({ sourceEvent: eventName, preset: "standard-webhooks" });
  expect(stored.data.destination.url).toBe(`${stack.destination.url}/signed`);
  const secrets = await stack.api("GET", `/admin/integration-builder/connectors/${id}/secrets`);
  expect(secrets.data.secrets.map((s: { name: string }) => s.name)).toEqual(["signingSecret"]);
  expect(JSON.stringify(stored.data)).not.toContain(secret);
});

test("[ADMIN] API tokens: a new token is shown once, works, can be revoked; the audit log records it", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  await page.goto("/tokens");
  await page.getByRole("button", { name: "New token" }).click();
  await page.getByLabel("Name").fill("orders-service (e2e)");
  await page.getByLabel("Role").selectOption("ingest");
  await page.getByRole("button", { name: "Create token" }).click();
  const value = (await page.getByTestId("new-token-value").textContent())?.trim() ?? "";
  expect(value.length).toBeGreaterThan(20);
  await shot(page, "14-token-created");
  await page.getByRole("button", { name: "Done" }).click();
  // Shown once: the list has its prefix only.
  const row = page.getByRole("row").filter({ hasText: "orders-service (e2e)" });
  await expect(row).toBeVisible();
  expect(await page.content()).not.toContain(value);

  // The token is real: it can ingest, and nothing else.
  const ingest = await fetch(`${stack.engineUrl}/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${value}`, "content-type": "application/json" },
    body: JSON.stringify({ name: uniqueEvent(), payload: {} }),
  });
  expect(ingest.status).toBe(202);
  await shot(page, "15-tokens");

  await row.getByRole("button", { name: "Revoke orders-service (e2e)" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
  await expect(row.getByText("revoked")).toBeVisible();
  const after = await fetch(`${stack.engineUrl}/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${value}`, "content-type": "application/json" },
    body: JSON.stringify({ name: uniqueEvent(), payload: {} }),
  });
  expect(after.status).toBe(401);

  await page.goto("/audit");
  await page.getByLabel("Action").fill("token.*");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("cell", { name: "token.create" }).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "token.revoke" }).first()).toBeVisible();
  await shot(page, "16-audit");
  expect(await page.content()).not.toContain(value);
});

test("[ADMIN] inbound sources: create one with its signing secret, copy its URL, see a refused webhook", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  await page.goto("/sources");
  // Not the empty state: the worker's engine is shared, and an earlier spec (broker-sources) leaves a source.
  await expect(page.getByRole("heading", { name: "Inbound sources" })).toBeVisible();
  await page.getByRole("button", { name: "New source" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name", { exact: true }).fill("Stripe payments (e2e)");
  await dialog.getByLabel("Verifier").selectOption("stripe");
  await dialog.getByLabel("Internal event name").fill("payment.confirmed");
  await dialog.getByLabel("Signing secret").fill("whsec_e2e_stripe_secret");
  await dialog.getByRole("button", { name: "Create source" }).click();

  const drawer = page.getByRole("dialog", { name: "Stripe payments (e2e)" });
  await expect(drawer).toBeVisible();
  const url = (await drawer.locator("code").first().textContent())?.trim() ?? "";
  expect(url).toMatch(new RegExp(`^${stack.engineUrl}/v1/webhooks/`));
  await expect(drawer.getByText("active")).toBeVisible();

  // A provider call with a wrong signature is refused and listed with its verification outcome.
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=deadbeef" },
    body: JSON.stringify({ id: "evt_e2e", type: "payment_intent.succeeded" }),
  });
  expect([400, 401]).toContain(res.status);
  await expect(drawer.getByRole("row").filter({ hasText: /rejected/i })).toHaveCount(1, { timeout: 20_000 });
  await shot(page, "17-source");
  expect(await page.content()).not.toContain("whsec_e2e_stripe_secret");
});

test("[ADMIN] registry: register two connectors for a country and switch the active one", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const a = await seedConnector(stack, { name: "Payments A (e2e)" });
  const b = await seedConnector(stack, { name: "Payments B (e2e)" });
  await page.goto("/registry");
  for (const c of [a, b]) {
    await page.getByRole("button", { name: "Add entry" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Country (ISO code)").fill("BR");
    await dialog.getByLabel("Provider type").fill("payments");
    await dialog.getByLabel("Connector").selectOption(c.id);
    await dialog.getByRole("button", { name: "Save entry" }).click();
    await expect(dialog).toHaveCount(0);
  }
  // The last one saved as active is THE provider; the other is on standby.
  const rowA = page.getByRole("row").filter({ hasText: "Payments A (e2e)" });
  const rowB = page.getByRole("row").filter({ hasText: "Payments B (e2e)" });
  await expect(rowB.getByText("active")).toBeVisible();
  await expect(rowA.getByText("standby")).toBeVisible();
  await rowA.getByRole("button", { name: "Make active" }).click();
  await expect(rowA.getByText("active")).toBeVisible();
  await expect(rowB.getByText("standby")).toBeVisible();
  await shot(page, "18-registry");
  const stored = await stack.api("GET", "/admin/integration-builder/registry?country=BR&providerType=payments");
  const active = stored.data.entries.filter((e: { active: boolean }) => e.active);
  expect(active.map((e: { connectorId: string }) => e.connectorId)).toEqual([a.id]);
});
