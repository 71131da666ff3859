// Issue 16 item 6: a RabbitMQ source as a person creates and watches it in the admin: the sources page
// creates it (kind, broker URL, queue), shows the consumer's state, and lists a refused message.
import { randomBytes } from "node:crypto";
import { connect } from "amqplib";
import { expect, shot, test, uniqueEvent, waitFor } from "./fixtures.ts";

const BASE = "/admin/integration-builder";
const AMQP_URL = "amqp://127.0.0.1:5672";

test("[ADMIN] broker source: create a RabbitMQ queue source, see it consuming, see a refused message", async ({
  page,
  stack,
  signIn,
}) => {
  const model = await connect(AMQP_URL);
  const channel = await model.createChannel();
  const queue = `ib.e2e.source.${randomBytes(4).toString("hex")}`;
  await channel.assertQueue(queue, { durable: false });
  try {
    const eventName = uniqueEvent("order");
    const name = `Orders queue ${queue.slice(-8)}`;
    await signIn(page);
    await page.goto("/sources");
    await page.getByRole("button", { name: "New source" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name", { exact: true }).fill(name);
    await dialog.getByLabel("Kind").selectOption("amqp");
    await dialog.getByLabel("Broker URL").fill(AMQP_URL);
    await dialog.getByLabel("Queue").fill(queue);
    await dialog.getByLabel("Internal event name").fill(eventName);
    await dialog.getByRole("button", { name: "Create source" }).click();

    const drawer = page.getByRole("dialog", { name });
    await expect(drawer).toBeVisible();
    await expect(drawer.getByText(queue)).toBeVisible();
    // The worker takes it within seconds; the drawer follows the list's refresh.
    await expect(drawer.getByTestId("source-runtime").getByText("consuming")).toBeVisible({ timeout: 30_000 });

    const stored = (await stack.api("GET", `${BASE}/sources`)).data.sources.find(
      (s: { name: string }) => s.name === name,
    );
    expect(stored).toMatchObject({ kind: "amqp", url: AMQP_URL, queue, eventName, verifier: null, path: null });

    // One good message becomes an event; one that is not JSON is refused and listed with the reason.
    channel.sendToQueue(queue, Buffer.from(JSON.stringify({ orderId: "ord_e2e" })), { messageId: `e2e_${queue}` });
    channel.sendToQueue(queue, Buffer.from("<xml>not json</xml>"), { messageId: `bad_${queue}` });
    // Not the queue's message count: a message the consumer holds unacked no longer counts, though its event
    // may not be committed yet.
    await waitFor(
      async () => {
        const event = await stack.api("GET", `${BASE}/events?name=${encodeURIComponent(eventName)}`);
        return JSON.stringify(event.data).includes(`e2e_${queue}`);
      },
      { message: "the message's event stored" },
    );
    await expect(drawer.getByText("Refused messages")).toBeVisible();
    await expect(drawer.getByText(/not JSON/)).toBeVisible({ timeout: 15_000 });
    await shot(page, "80-broker-source-drawer");

    await page.keyboard.press("Escape");
    const row = page.getByRole("row", { name: new RegExp(name) });
    await expect(row.getByText("RabbitMQ queue")).toBeVisible();
    await expect(row.getByText("consuming")).toBeVisible();
    await shot(page, "81-sources-with-broker");
  } finally {
    await channel.deleteQueue(queue).catch(() => {});
    await model.close().catch(() => {});
  }
});
