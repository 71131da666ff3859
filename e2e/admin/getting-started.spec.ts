import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startReceiver } from "@ib/testing";
import type { Page } from "@playwright/test";
import { expect, repo, test, waitFor } from "./fixtures.ts";

// docs/getting-started.md, step by step, as a newcomer does it in the admin: sign in, create a connector
// to a receiver on this machine, send an event, see it delivered. Its screenshots are the guide's
// (`DOCS_SCREENSHOTS=1` writes them to docs/images; otherwise they land in test-results).
const DIR = process.env.DOCS_SCREENSHOTS === "1" ? join(repo, "docs", "images") : join(repo, "test-results", "docs");

async function picture(page: Page, name: string) {
  mkdirSync(DIR, { recursive: true });
  await page.screenshot({ path: join(DIR, `getting-started-${name}.png`) });
}

test("[ADMIN] getting started: from sign-in to a first delivered event through the admin", async ({
  page,
  ownStack: stack,
}) => {
  // The guide's receiver listens on 4000; any free port will do when 4000 is taken.
  const receiver = await startReceiver(undefined, { port: 4000 }).catch(() => startReceiver());
  try {
    await page.setViewportSize({ width: 1280, height: 760 });
    await page.goto(`${stack.adminUrl}/`);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await page.getByLabel("API token").fill(stack.adminToken);
    await picture(page, "1-sign-in");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("No connectors yet")).toBeVisible();
    await picture(page, "2-no-connectors");

    await page.getByRole("link", { name: "New connector" }).click();
    await expect(page).toHaveURL(/\/connectors\/new$/);
    await page.getByLabel("Name", { exact: true }).fill("Orders to my receiver");
    await page.getByLabel("Source event").fill("order.created");
    await page.getByLabel("URL", { exact: true }).fill(`${receiver.url}/orders`);
    await expect(page.getByTestId("preview-url")).toHaveText(`${receiver.url}/orders`);
    await picture(page, "3-new-connector");
    await page.getByRole("button", { name: "Create connector" }).click();
    await expect(page).toHaveURL(/\/connectors\/con_[0-9a-z]{26}$/);
    await expect(page.getByRole("heading", { name: "Orders to my receiver" })).toBeVisible();
    const id = page.url().split("/").pop() as string;

    await page.getByRole("link", { name: "Events" }).click();
    await page.getByRole("button", { name: "Send test event" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Event name").fill("order.created");
    await picture(page, "4-send-event");
    await dialog.getByRole("button", { name: "Send event" }).click();
    await expect(page.getByText("1 delivery started")).toBeVisible();

    // Delivered for real: the receiver got the mapped body.
    const received = await waitFor(async () => receiver.received.find((r) => r.url === "/orders"), {
      timeoutMs: 30_000,
      message: "the receiver to get the event",
    });
    expect(received.method).toBe("POST");
    expect(received.headers["idempotency-key"]).toMatch(/^dlv_/);

    await page.goto(`${stack.adminUrl}/connectors/${id}?tab=deliveries`);
    const row = page.getByTestId("delivery-row").first();
    await expect(row.getByText("Success")).toBeVisible();
    await picture(page, "5-delivered");
    await row.click();
    const drawer = page.getByRole("dialog");
    await expect(drawer.getByText("HTTP 200").first()).toBeVisible();
    await picture(page, "6-delivery");
    const stored = await stack.api("GET", `/admin/integration-builder/connectors/${id}/logs`);
    expect(stored.data.deliveries[0]).toMatchObject({ status: "SUCCESS", connectorId: id });
  } finally {
    await receiver.close();
  }
});
