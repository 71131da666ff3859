import { expect, fillEditor, seedConnector, shot, test, uniqueEvent } from "./fixtures.ts";

test("[ADMIN] sign in with an engine token, see the empty connectors page, sign out", async ({
  page,
  ownStack: stack,
}) => {
  // Its own engine and admin: the empty state shows only where no other test has made a connector.
  const at = (path: string) => `${stack.adminUrl}${path}`;
  await page.goto(at("/"));
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await shot(page, "01-sign-in");

  // A wrong token is refused with a clear message and no session.
  await page.getByLabel("API token").fill("ib_not_a_real_token_000000000000");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(/does not accept this token/)).toBeVisible();
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === "ib_admin_session")).toBeUndefined();

  await page.getByLabel("API token").fill(stack.adminToken);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Connectors", exact: true })).toBeVisible();
  // The token lives only in an httpOnly, SameSite=Strict cookie: page scripts cannot read it.
  const session = (await page.context().cookies()).find((c) => c.name === "ib_admin_session");
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict" });
  expect(await page.evaluate(() => document.cookie)).not.toContain(stack.adminToken);

  // An untouched engine: the empty state offers both ways to start.
  await expect(page.getByText("No connectors yet")).toBeVisible();
  await expect(page.getByRole("link", { name: "New connector" })).toBeVisible();
  await expect(page.getByRole("link", { name: "From a preset" })).toBeVisible();
  await shot(page, "02-connectors-empty");

  // The proxy forwards only the engine routes the admin has pages for.
  const unlisted = await page.request.get(at("/api/engine/metrics"));
  expect(unlisted.status()).toBe(404);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto(at("/connectors"));
  await expect(page).toHaveURL(/\/sign-in/);
  const signedOut = await page.request.get(at("/api/engine/admin/integration-builder/connectors"));
  expect(signedOut.status()).toBe(401);
});

test("[ADMIN] create a connector with the form and the Monaco mapping editor; the live preview shows the mapped body", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const eventName = uniqueEvent();
  await page.goto("/connectors/new");
  await page.getByLabel("Name", { exact: true }).fill("Orders to the e2e ERP");
  await page.getByLabel("Source event").fill(eventName);
  await page.getByLabel("URL", { exact: true }).fill(`${stack.destination.url}/orders/<<event.payload.orderId>>`);
  await page.getByLabel("Headers 1 name").fill("X-Tenant");
  await page.getByLabel("Headers 1 value").fill("acme");

  // The mapping opens as a form (Visual); this test writes it as JSON.
  await page.getByRole("button", { name: "JSON", exact: true }).click();
  // Completion offers paths from the sample event after `$.`.
  const mapping = page.locator('[data-editor="connector-mapping.json"] .monaco-editor .view-lines');
  await mapping.click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText('{"probe": "$.payload.cus');
  await page.keyboard.press("Control+Space");
  await expect(page.locator(".suggest-widget").getByText("$.payload.customer.email")).toBeVisible();
  await page.keyboard.press("Escape");

  await fillEditor(
    page,
    "connector-mapping.json",
    '{"order": "$.payload.orderId", "total": "$.payload.total", "greeting": "Hello <<event.payload.customer.name>>"}',
  );
  const body = page.getByTestId("preview-body");
  await expect(body).toContainText('"order": "ord_1042"');
  await expect(body).toContainText('"total": 129.9');
  await expect(body).toContainText('"greeting": "Hello Ada Lovelace"');
  await expect(page.getByTestId("preview-url")).toHaveText(`${stack.destination.url}/orders/ord_1042`);
  await expect(page.getByTestId("preview-headers")).toContainText("acme");

  // Hovering a path in the mapping shows what it takes from the sample event.
  await page
    .locator('[data-editor="connector-mapping.json"] .view-line span', { hasText: "$.payload.orderId" })
    .first()
    .hover();
  await expect(page.locator(".monaco-hover").filter({ hasText: '"ord_1042"' })).toBeVisible();
  await page.mouse.move(0, 0);

  // Editing the sample event re-renders the preview.
  await fillEditor(
    page,
    "connector-sample-event.json",
    JSON.stringify({ name: eventName, payload: { orderId: "ord_77", total: 5, customer: { name: "Grace" } } }),
  );
  await expect(body).toContainText('"order": "ord_77"');
  await expect(body).toContainText("Hello Grace");
  await shot(page, "03-connector-editor");

  await page.getByRole("button", { name: "Create connector" }).click();
  await expect(page).toHaveURL(/\/connectors\/con_[0-9a-z]{26}$/);
  await expect(page.getByRole("heading", { name: "Orders to the e2e ERP" })).toBeVisible();
  const id = page.url().split("/").pop()!;

  // What the engine stored is what was typed.
  const stored = await stack.api("GET", `/admin/integration-builder/connectors/${id}`);
  expect(stored.status).toBe(200);
  expect(stored.data).toMatchObject({
    name: "Orders to the e2e ERP",
    sourceEvent: eventName,
    destination: { url: `${stack.destination.url}/orders/<<event.payload.orderId>>`, headers: { "X-Tenant": "acme" } },
    mapping: {
      order: "$.payload.orderId",
      total: "$.payload.total",
      greeting: "Hello <<event.payload.customer.name>>",
    },
    sampleEvent: { payload: { orderId: "ord_77" } },
  });

  // The list shows it, and search finds it.
  await page.goto("/connectors");
  await page.getByLabel("Search connectors").fill("e2e ERP");
  await expect(page.getByRole("link", { name: "Orders to the e2e ERP" })).toBeVisible();
  await shot(page, "04-connectors-list");
});

test("[ADMIN] Edit as JSON validates against the connector schema and round-trips to the form", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const c = await seedConnector(stack);
  await page.goto(`/connectors/${c.id}`);
  await page.getByRole("button", { name: "Edit as JSON" }).click();
  const json = page.locator('[data-editor="connector-whole.json"]');
  await expect(json).toContainText('"sourceEvent"');
  // A value the schema refuses is flagged in the editor (squiggle from the derived JSON Schema).
  const text = JSON.stringify({
    name: "Renamed in JSON",
    sourceEvent: c.sourceEvent,
    destination: { url: `${stack.destination.url}/hook`, method: "YEET" },
    mapping: { ok: "$.id" },
  });
  await fillEditor(page, "connector-whole.json", text);
  await expect(json.locator(".squiggly-error").first()).toBeAttached();
  await fillEditor(page, "connector-whole.json", text.replace("YEET", "PUT"));
  await expect(json.locator(".squiggly-error")).toHaveCount(0);
  await page.getByRole("button", { name: "Back to form" }).click();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Renamed in JSON");
  await expect(page.getByLabel("Method")).toHaveValue("PUT");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("All changes saved")).toBeVisible();
  const stored = await stack.api("GET", `/admin/integration-builder/connectors/${c.id}`);
  expect(stored.data).toMatchObject({ name: "Renamed in JSON", destination: { method: "PUT" }, version: 2 });
});

test("[ADMIN] a secret is set in a dialog, listed without its value and masked in the preview", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const value = `sk_live_e2e_${Date.now()}`;
  const c = await seedConnector(stack, {
    destination: {
      url: `${stack.destination.url}/hook`,
      method: "POST",
      headers: { Authorization: "Bearer <<secret.apiKey>>" },
    },
  });
  await page.goto(`/connectors/${c.id}?tab=secrets`);
  await expect(page.getByText("No secrets")).toBeVisible();
  await page.getByRole("button", { name: "Add secret" }).click();
  await page.getByLabel("Name", { exact: true }).fill("apiKey");
  await page.getByLabel("Value").fill(value);
  await page.getByRole("button", { name: "Save secret" }).click();
  await expect(page.getByRole("cell", { name: "apiKey", exact: true })).toBeVisible();
  await shot(page, "05-connector-secrets");

  await page.getByRole("tab", { name: "Configuration" }).click();
  const headers = page.getByTestId("preview-headers");
  await expect(headers).toContainText("Authorization");
  await expect(headers).toContainText("Bearer •");
  // The value never reaches the browser: not on the page, not in any answer the admin got.
  expect(await page.content()).not.toContain(value);
  const secrets = await page.request.get(`/api/engine/admin/integration-builder/connectors/${c.id}/secrets`);
  expect(await secrets.text()).not.toContain(value);
  const stored = await stack.api("GET", `/admin/integration-builder/connectors/${c.id}/secrets`);
  expect(stored.data.secrets.map((s: { name: string }) => s.name)).toEqual(["apiKey"]);
});

test("[ADMIN] a viewer sees connectors read-only and cannot change them", async ({ page, stack, signIn }) => {
  const c = await seedConnector(stack);
  await signIn(page, stack.viewerToken);
  await page.goto("/connectors");
  await expect(page.getByText(/Read-only: you are signed in as/)).toBeVisible();
  await expect(page.getByRole("link", { name: c.name })).toBeVisible();
  await expect(page.getByRole("link", { name: "New connector" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "API tokens" })).toHaveCount(0);
  await expect(page.getByRole("switch", { name: `${c.name} enabled` })).toBeDisabled();

  await page.goto(`/connectors/${c.id}`);
  await expect(page.getByLabel("Name", { exact: true })).toBeDisabled();
  await expect(page.getByRole("button", { name: /Save changes|Create connector/ })).toHaveCount(0);
  await expect(page.getByTestId("preview-body")).toContainText("orderId");
  // A viewer can still switch how the mapping is shown; JSON is read-only for them too.
  await page.getByRole("button", { name: "JSON", exact: true }).click();
  await expect(page.locator('[data-editor="connector-mapping.json"] .monaco-editor')).toBeVisible();
  await expect(page.getByRole("button", { name: "Add header" })).toHaveCount(0);
  await shot(page, "06-viewer-connector");
  await page.getByRole("tab", { name: "Secrets" }).click();
  await expect(page.getByRole("button", { name: "Add secret" })).toHaveCount(0);

  // Even a hand-made request through the admin is refused by the engine.
  const put = await page.request.put("/api/engine/admin/integration-builder/connectors", {
    data: {
      id: c.id,
      version: c.version,
      name: "hijacked",
      sourceEvent: c.sourceEvent,
      destination: { url: "https://x.example" },
    },
  });
  expect(put.status()).toBe(403);
  expect((await put.json()).error.code).toBe("FORBIDDEN");
  const tokens = await page.request.get("/api/engine/admin/integration-builder/tokens");
  expect(tokens.status()).toBe(403);
  expect((await stack.api("GET", `/admin/integration-builder/connectors/${c.id}`)).data.name).toBe(c.name);
});

test("[ADMIN] a stale save shows the conflict and can reload the latest version", async ({ page, stack, signIn }) => {
  await signIn(page);
  const c = await seedConnector(stack);
  await page.goto(`/connectors/${c.id}`);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(c.name);

  // Someone else saves while this page is open.
  const other = await stack.api("PUT", "/admin/integration-builder/connectors", {
    id: c.id,
    version: c.version,
    name: "Changed by a colleague",
    sourceEvent: c.sourceEvent,
    destination: { url: `${stack.destination.url}/hook`, method: "POST" },
    mapping: { eventId: "$.id" },
  });
  expect(other.status).toBe(200);

  await page.getByLabel("Description").fill("my edit");
  await page.getByRole("button", { name: "Save changes" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "Someone else saved this connector" });
  await expect(alert).toBeVisible();
  await shot(page, "07-connector-conflict");
  // Nothing of the stale save reached the engine.
  expect((await stack.api("GET", `/admin/integration-builder/connectors/${c.id}`)).data).toMatchObject({
    name: "Changed by a colleague",
    version: 2,
  });

  await alert.getByRole("button", { name: "Reload latest" }).click();
  await expect(alert).toHaveCount(0);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Changed by a colleague");
  await expect(page.getByText(/v2/)).toBeVisible();
});
