import { expect, seedConnector, shot, test, uniqueEvent, waitFor } from "./fixtures.ts";

// Issue 15: the event catalog page (defined vs observed, create from observed, validation mode), a replay
// from the events explorer, and "Retry these N" on a filtered DLQ.

test.afterEach(({ stack }) => {
  stack.destination.state.failWith = null;
});

const BASE = "/admin/integration-builder";

test("[ADMIN] the catalog lists defined and observed names; create from observed with enforce, and ingest enforces it", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const defined = uniqueEvent("invoice");
  const observed = uniqueEvent("shipment");
  const put = await stack.api("PUT", `${BASE}/event-types`, {
    name: defined,
    description: "An invoice was issued",
    schema: { type: "object", required: ["invoiceId"], properties: { invoiceId: { type: "string" } } },
    validation: "warn",
  });
  expect(put.status).toBe(201);
  for (const n of [1, 2, 3]) {
    const sent = await stack.api("POST", "/v1/events", {
      name: observed,
      payload: { shipmentId: `shp_${n}`, weightKg: n + 0.5, at: "2026-01-01T10:00:00Z" },
    });
    expect(sent.status).toBe(202);
  }

  await page.goto("/catalog");
  await expect(page.getByRole("heading", { name: "Event catalog" })).toBeVisible();
  const definedRow = page.locator(`[data-event-type="${defined}"]`);
  await expect(definedRow.getByText("JSON Schema")).toBeVisible();
  await expect(definedRow.getByText("Warn")).toBeVisible();
  const observedRow = page.locator(`[data-event-type="${observed}"]`);
  await expect(observedRow.getByText("Observed only")).toBeVisible();
  await expect(observedRow.getByRole("cell", { name: "3", exact: true })).toBeVisible();
  await shot(page, "60-catalog");

  await observedRow.getByRole("button", { name: "Create from observed" }).click();
  const drawer = page.getByRole("dialog");
  await expect(drawer.getByText("Create from observed")).toBeVisible();
  await expect(drawer.getByText("Inferred from 3 stored events")).toHaveCount(0); // it is the input's value
  await expect(drawer.getByLabel("Description")).toHaveValue("Inferred from 3 stored events");
  await expect(drawer.locator('[data-editor="event-type-schema-observed.json"]')).toContainText("weightKg");
  await drawer.getByLabel("Validation at ingest").selectOption("enforce");
  await shot(page, "61-catalog-create-from-observed");
  await drawer.getByRole("button", { name: "Create event type" }).click();
  await expect(page.getByText(`${observed} saved (version 1)`)).toBeVisible();
  await expect(observedRow.getByText("Enforce")).toBeVisible();
  await expect(observedRow.getByText("JSON Schema")).toBeVisible();

  // What the engine stored, and what ingest now does with a payload that breaks it.
  const stored = await stack.api("GET", `${BASE}/event-types/${observed}`);
  expect(stored.data).toMatchObject({ validation: "enforce", schemaFormat: "json-schema", version: 1 });
  expect(stored.data.schema.properties.weightKg).toEqual({ type: "number" });
  const refused = await stack.api("POST", "/v1/events", { name: observed, payload: { shipmentId: 7 } });
  expect(refused.status).toBe(400);
  expect(refused.data.error.code).toBe("SCHEMA_VALIDATION_FAILED");

  // Edit the defined one: a sample that breaks the schema is refused with the reason.
  await page.getByRole("button", { name: "Defined" }).click();
  await expect(observedRow).toBeVisible(); // now defined
  await definedRow.getByRole("button", { name: "Edit" }).click();
  await expect(drawer.getByLabel("Event name")).toHaveValue(defined);
  await drawer.getByLabel("Validation at ingest").selectOption("enforce");
  await drawer.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText(`${defined} saved (version 2)`)).toBeVisible();
  await expect(definedRow.getByText("Enforce")).toBeVisible();
  await shot(page, "62-catalog-after-edit");
});

test("[ADMIN] replay one event to a connector from the events explorer", async ({ page, stack, signIn }) => {
  await signIn(page);
  const c = await seedConnector(stack, { name: "Replay target" });
  const sent = await stack.api("POST", "/v1/events", { name: c.sourceEvent, payload: { orderId: "ord_rp_1" } });
  expect(sent.status).toBe(202);
  const eventId = sent.data.id as string;
  const before = await waitFor(
    () => stack.destination.received.filter((r) => r.body.includes("ord_rp_1")).length === 1 || undefined,
    { timeoutMs: 20_000, message: "the first delivery" },
  );
  expect(before).toBe(true);

  await page.goto("/events");
  await page.getByLabel("Event name").fill(c.sourceEvent);
  await page.getByRole("button", { name: "Filter" }).click();
  await page.getByRole("row").filter({ hasText: eventId }).click();
  const drawer = page.getByRole("dialog");
  await drawer.getByRole("button", { name: "Replay to a connector" }).click();
  const dialog = page.getByRole("dialog", { name: "Replay to a connector" });
  await expect(dialog.getByLabel("Connector")).toContainText("Replay target");
  await expect(dialog.getByText("Its filter takes this event: one delivery will be created.")).toBeVisible();
  await shot(page, "63-replay-dialog");
  await dialog.getByRole("button", { name: "Replay event" }).click();
  await expect(page.getByText("Event replayed")).toBeVisible();

  // The destination gets the event again, under a new delivery id; the event shows the replayed delivery.
  const again = await waitFor(
    () => {
      const got = stack.destination.received.filter((r) => r.body.includes("ord_rp_1"));
      return got.length === 2 ? got : undefined;
    },
    { timeoutMs: 20_000, message: "the replayed delivery" },
  );
  expect(again[1]?.headers["webhook-id"]).not.toBe(again[0]?.headers["webhook-id"]);
  const event = await stack.api("GET", `${BASE}/events/${eventId}`);
  const replayed = event.data.deliveries.filter((d: { replayId: string | null }) => d.replayId !== null);
  expect(replayed).toHaveLength(1);
  // The event's drawer is back, with the new delivery marked as a replay.
  await expect(drawer.locator("[data-delivery]")).toHaveCount(2);
  await expect(drawer.getByText("Replay", { exact: true })).toBeVisible();
  await shot(page, "64-event-with-replay");
});

test("[ADMIN] Retry these N shows the count of the filtered DLQ first and requeues only those", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const c = await seedConnector(stack, { name: "Bulk retry target", retryMaxAttempts: 1 });
  const dlq = async (n: number) =>
    waitFor(
      async () => {
        const logs = await stack.api("GET", `${BASE}/connectors/${c.id}/logs?status=DLQ`);
        return logs.data.deliveries.length === n ? logs.data.deliveries : undefined;
      },
      { timeoutMs: 20_000, message: `${n} deliveries in the DLQ` },
    );
  stack.destination.state.failWith = 503;
  for (const n of [1, 2]) await stack.api("POST", "/v1/events", { name: c.sourceEvent, payload: { orderId: `b${n}` } });
  await dlq(2);
  stack.destination.state.failWith = 500;
  await stack.api("POST", "/v1/events", { name: c.sourceEvent, payload: { orderId: "b3" } });
  await dlq(3);
  stack.destination.state.failWith = null;

  await page.goto(`/connectors/${c.id}?tab=deliveries`);
  await page.getByRole("button", { name: "DLQ", exact: true }).click();
  await expect(page.getByTestId("retry-these")).toHaveText("Retry these 3");
  await page.getByLabel("Error contains").fill("503");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("retry-these")).toHaveText("Retry these 2");
  await expect(page.getByTestId("delivery-row")).toHaveCount(2);
  await shot(page, "65-retry-these");
  await page.getByTestId("retry-these").click();
  await page.getByRole("dialog").getByRole("button", { name: "Retry 2 deliveries" }).click();
  await expect(page.getByText("Requeued 2 deliveries")).toBeVisible();

  const left = await dlq(1);
  expect(left[0]?.lastError).toContain("500");
  await waitFor(
    async () => {
      const ok = await stack.api("GET", `${BASE}/connectors/${c.id}/logs?status=SUCCESS`);
      return ok.data.deliveries.length === 2;
    },
    { timeoutMs: 20_000, message: "the two requeued deliveries to succeed" },
  );
});

test("[ADMIN] a connector created after its events backfills them from its Deliveries tab", async ({
  page,
  stack,
  signIn,
}) => {
  await signIn(page);
  const name = uniqueEvent("backfill");
  for (const n of [1, 2, 3]) {
    const sent = await stack.api("POST", "/v1/events", { name, payload: { orderId: `bf_${n}` } });
    expect(sent.status).toBe(202);
  }
  const c = await seedConnector(stack, { name: "Backfilled connector", sourceEvent: name });

  await page.goto(`/connectors/${c.id}?tab=deliveries`);
  await page.getByRole("button", { name: "Replay events" }).click();
  const dialog = page.getByRole("dialog", { name: "Replay events" });
  await dialog.getByRole("button", { name: "Count" }).click();
  await expect(dialog.getByTestId("replay-count")).toHaveText(
    "3 stored events in the range; 3 deliveries would be created.",
  );
  await dialog.getByRole("button", { name: "Replay 3" }).click();
  const progress = dialog.getByTestId("replay-progress");
  await expect(progress).toContainText("done");
  await waitFor(() => stack.destination.received.filter((r) => r.body.includes("bf_")).length === 3 || undefined, {
    timeoutMs: 20_000,
    message: "the three backfilled deliveries",
  });
  await expect(progress.getByText("delivered").locator("..")).toContainText("3");
  await shot(page, "66-backfill-progress");
});
