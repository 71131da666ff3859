import { connectors, deliveries, events, inboundWebhooks } from "@ib/db";
import { and, eq, sql } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "../src/context.ts";
import { eventFromWebhook } from "../src/inbound/event-from-webhook.ts";
import { MAX_INBOUND_ATTEMPTS, processInboundWebhooks } from "../src/inbound/process-webhooks.ts";
import { inboundService } from "../src/inbound/service.ts";
import { uniqueEventName } from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

const BASE = "/admin/integration-builder/sources";
const stripe = new Stripe("sk_test_unused");

describe.each(testDrivers())("inbound webhooks become events on %s", (driver) => {
  let engine: TestEngine;
  let service: ReturnType<typeof inboundService>;
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_WORKER_POLL_MS: "200" });
    service = inboundService(engine.ctx);
    await service.start();
  });
  afterAll(async () => {
    await service?.stop(1000);
    await engine?.close();
  });

  async function stripeSource(eventMapping: Record<string, string>, eventName?: string) {
    const secret = "whsec_inbound_test";
    const res = await engine.api("PUT", BASE, {
      body: { name: "Stripe", verifier: "stripe", eventMapping, eventName },
    });
    const id = res.json.source.id as string;
    await engine.api("POST", `${BASE}/${id}/secret`, { body: { name: "signingSecret", value: secret } });
    const send = (payload: string) =>
      engine.api("POST", `/v1/webhooks/${id}`, {
        token: null,
        raw: payload,
        headers: {
          "content-type": "application/json",
          "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload, secret }),
        },
      });
    return { id, send };
  }

  it("maps payment_intent.succeeded to payment.confirmed, ingests it once and fans it out to matching connectors", async () => {
    const internal = uniqueEventName("payment.confirmed");
    const [connector] = await engine.ctx.db
      .insert(connectors)
      .values({
        id: `con_${"0".repeat(20)}inb${driver.slice(0, 3)}`,
        name: "ERP",
        sourceEvent: internal,
        destination: { url: "https://erp.example.com/payments", method: "POST" },
      })
      .returning();
    const { id: sourceId, send } = await stripeSource({
      "payment_intent.succeeded": internal,
      "charge.*": "charge.any",
    });
    const payload = JSON.stringify({
      id: `evt_${Date.now()}`,
      type: "payment_intent.succeeded",
      data: { object: { id: "pi_9", amount: 4990 } },
    });
    const received = await send(payload);
    expect(received.status).toBe(200);
    expect((await send(payload)).json.duplicate).toBe(true);

    const row = await waitFor(
      async () => {
        const [w] = await engine.ctx.db.select().from(inboundWebhooks).where(eq(inboundWebhooks.id, received.json.id));
        return w?.status === "PROCESSED" ? w : null;
      },
      { message: "webhook processed" },
    );
    expect(row.eventId).toMatch(/^evt_/);
    const [event] = await engine.ctx.db
      .select()
      .from(events)
      .where(eq(events.id, row.eventId as string));
    expect(event).toMatchObject({ name: internal, source: `webhooks/${sourceId}`, payload: JSON.parse(payload) });
    expect(event?.attributes).toMatchObject({ provider: "stripe", providereventtype: "payment_intent.succeeded" });
    const fanned = await engine.ctx.db
      .select()
      .from(deliveries)
      .where(eq(deliveries.eventId, row.eventId as string));
    expect(fanned.map((d) => d.connectorId)).toEqual([connector?.id]);

    // Processing again (a worker died before its bookkeeping) ingests nothing new.
    await engine.ctx.db
      .update(inboundWebhooks)
      .set({ status: "RECEIVED", lockedUntil: null })
      .where(eq(inboundWebhooks.id, row.id));
    await waitFor(async () => {
      const [w] = await engine.ctx.db.select().from(inboundWebhooks).where(eq(inboundWebhooks.id, row.id));
      return w?.status === "PROCESSED";
    });
    expect(
      await engine.ctx.db
        .select()
        .from(deliveries)
        .where(eq(deliveries.eventId, row.eventId as string)),
    ).toHaveLength(1);
  });

  it("a type with no mapping and no eventName is recorded as ignored; eventName is the fallback", async () => {
    const { send } = await stripeSource({ "payment_intent.succeeded": "payment.confirmed" });
    const res = await send(JSON.stringify({ id: `evt_ign_${Date.now()}`, type: "customer.created" }));
    const row = await waitFor(async () => {
      const [w] = await engine.ctx.db.select().from(inboundWebhooks).where(eq(inboundWebhooks.id, res.json.id));
      return w?.status === "PROCESSED" ? w : null;
    });
    expect(row.eventId).toBeNull();
    expect(row.lastError).toMatch(/no eventMapping entry for provider event type "customer.created"/);

    const fallback = uniqueEventName("stripe.other");
    const source = {
      id: "src_x",
      verifier: "stripe",
      config: {},
      eventName: fallback,
      eventMapping: { "charge.*": "charge.any", "charge.dispute.*": "dispute.any" },
    };
    const webhook = (type: string) => ({
      id: "whk_01abc",
      headers: {},
      rawBody: JSON.stringify({ id: "e", type }),
      receivedAt: new Date(),
      providerEventId: "e",
    });
    const name = (type: string) => {
      const c = eventFromWebhook(source, webhook(type));
      return c.kind === "event" ? c.event.name : null;
    };
    expect(name("customer.created")).toBe(fallback);
    expect(name("charge.refunded")).toBe("charge.any");
    expect(name("charge.dispute.created")).toBe("dispute.any");
    const c = eventFromWebhook(source, webhook("x"));
    expect(c.kind === "event" && c.event.id).toBe("evt_01abc");
  });

  it("the event catalog applies: enforce marks a mismatching webhook FAILED with the reason and stores no event; warn stores it flagged", async () => {
    const name = uniqueEventName("stripe.checked");
    const put = (validation: string, version?: number) =>
      engine.api("PUT", "/admin/integration-builder/event-types", {
        body: {
          name,
          schemaFormat: "json-schema",
          schema: { type: "object", required: ["amount"], properties: { amount: { type: "number" } } },
          validation,
          ...(version ? { version } : {}),
        },
      });
    const created = await put("enforce");
    expect(created.status).toBeLessThan(300);
    const { send } = await stripeSource({}, name);
    const settled = async (id: string) =>
      waitFor(async () => {
        const [w] = await engine.ctx.db.select().from(inboundWebhooks).where(eq(inboundWebhooks.id, id));
        return w && w.status !== "RECEIVED" ? w : null;
      });
    const refused = await settled((await send(JSON.stringify({ id: `evt_enf_${Date.now()}`, type: "x" }))).json.id);
    expect(refused.status).toBe("FAILED");
    expect(refused.lastError).toMatch(/does not match the schema of .*amount/);
    expect(refused.attempts).toBe(1);
    expect(await engine.ctx.db.select().from(events).where(eq(events.name, name))).toEqual([]);

    expect((await put("warn", created.json.version)).status).toBe(200);
    const flagged = await settled((await send(JSON.stringify({ id: `evt_warn_${Date.now()}`, type: "x" }))).json.id);
    expect(flagged.status).toBe("PROCESSED");
    const [stored] = await engine.ctx.db.select().from(events).where(eq(events.name, name));
    expect(stored).toMatchObject({ id: flagged.eventId, schemaValid: false });
  });

  it("a webhook whose ingest keeps failing is retried with backoff, then FAILED with the error", async () => {
    await service.stop(1000);
    const name = uniqueEventName("stripe.any");
    // The database refuses this event's insert every time (a trigger stands in for a failing database).
    const trigger = `ib_test_refuse_${driver.slice(0, 3)}`;
    await engine.ctx.db.execute(
      sql.raw(`create function ${trigger}() returns trigger language plpgsql as $$
        begin if new.name = '${name}' then raise exception 'test: events refuses %', new.name; end if; return new; end $$`),
    );
    await engine.ctx.db.execute(
      sql.raw(`create trigger ${trigger} before insert on events for each row execute function ${trigger}()`),
    );
    try {
      const { send } = await stripeSource({}, name);
      const res = await send(`{"id":"evt_fail_${Date.now()}","type":"x"}`);
      expect(res.status).toBe(200);
      for (let attempt = 1; attempt <= MAX_INBOUND_ATTEMPTS; attempt++) {
        expect(await processInboundWebhooks({ ctx: systemContext(engine.ctx) })).toBe(1);
        const [w] = await engine.ctx.db.select().from(inboundWebhooks).where(eq(inboundWebhooks.id, res.json.id));
        expect(w?.attempts).toBe(attempt);
        if (attempt < MAX_INBOUND_ATTEMPTS) {
          expect(w?.status).toBe("RECEIVED");
          expect(w?.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
          // Not due yet: nothing is claimed until the backoff passes.
          expect(await processInboundWebhooks({ ctx: systemContext(engine.ctx) })).toBe(0);
          await engine.ctx.db
            .update(inboundWebhooks)
            .set({ lockedUntil: null })
            .where(eq(inboundWebhooks.id, res.json.id));
        } else {
          expect(w?.status).toBe("FAILED");
          expect(w?.lastError).toMatch(/^database: test: events refuses /);
          // What the database said, not the statement and its parameters (they hold the payload).
          expect(w?.lastError).not.toMatch(/evt_fail_|insert into/);
        }
      }
    } finally {
      await engine.ctx.db.execute(sql.raw(`drop trigger ${trigger} on events`));
      await engine.ctx.db.execute(sql.raw(`drop function ${trigger}()`));
      service = inboundService(engine.ctx);
      await service.start();
    }
  });

  it("a verified webhook whose body holds a NUL character gets a 400 naming where, stored as REJECTED; one stored before that check is FAILED at once", async () => {
    const name = uniqueEventName("stripe.any");
    const { id: sourceId, send } = await stripeSource({}, name);
    const res = await send(`{"id":"evt_nul_${Date.now()}","type":"x","data":{"note":"a\\u0000b"}}`);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe(
      "The body contains a NUL character (\\u0000) at $.data.note, which cannot be stored as an event",
    );
    // The text "\u0000" (a backslash, then u0000) is ordinary text.
    const text = await send(`{"id":"evt_text_${Date.now()}","type":"x","path":"C:\\\\u0000"}`);
    expect(text.status).toBe(200);
    // A NUL byte in a body that is not JSON: refused too, its evidence stored with the NUL shown as ␀.
    const raw = await send(`not json \u0000 here ${Date.now()}`);
    expect(raw.status).toBe(400);
    expect(raw.json.error.message).toBe(
      "The body contains a NUL character (\\u0000), which cannot be stored as an event",
    );
    const rejected = await engine.ctx.db
      .select()
      .from(inboundWebhooks)
      .where(and(eq(inboundWebhooks.sourceId, sourceId), eq(inboundWebhooks.status, "REJECTED")));
    expect(rejected.map((w) => [w.verified, w.verificationError]).sort()).toEqual([
      [true, "The body contains a NUL character (\\u0000) at $.data.note, which cannot be stored as an event"],
      [true, "The body contains a NUL character (\\u0000), which cannot be stored as an event"],
    ]);
    expect(rejected.map((w) => w.rawBody).join("\n")).toMatch(/not json \u2400 here/);
    const listed = await engine.api("GET", `${BASE}/${sourceId}/webhooks?status=REJECTED`);
    expect(listed.status).toBe(200);
    expect(listed.json.webhooks).toHaveLength(2);
    await waitFor(
      async () => {
        const [w] = await engine.ctx.db.select().from(inboundWebhooks).where(eq(inboundWebhooks.id, text.json.id));
        return w?.status === "PROCESSED";
      },
      { message: "the webhook holding the text \\u0000 processed" },
    );

    // A webhook received before the check existed: converted, it is FAILED on its first attempt with the reason.
    await service.stop(1000);
    try {
      const id = `whk_${"0".repeat(20)}nul${driver.slice(0, 3)}`;
      await engine.ctx.db.insert(inboundWebhooks).values({
        id,
        sourceId,
        headers: {},
        rawBody: '{"type":"x","items":[{"k\\u0000":1}]}',
        verified: true,
        status: "RECEIVED",
      });
      expect(await processInboundWebhooks({ ctx: systemContext(engine.ctx) })).toBe(1);
      const [w] = await engine.ctx.db.select().from(inboundWebhooks).where(eq(inboundWebhooks.id, id));
      expect(w).toMatchObject({ status: "FAILED", attempts: 1, eventId: null });
      expect(w?.lastError).toBe(
        'The body contains a NUL character (\\u0000) in the key at $.items[0]["k\\u0000"], which cannot be stored as an event',
      );
      expect(await engine.ctx.db.select().from(events).where(eq(events.name, name))).toHaveLength(1);
    } finally {
      service = inboundService(engine.ctx);
      await service.start();
    }
  });

  it("prunes finished webhooks older than the retention period, never RECEIVED ones", async () => {
    const { send } = await stripeSource({}, uniqueEventName("stripe.any"));
    const old = await send(JSON.stringify({ id: `evt_old_${Date.now()}`, type: "x" }));
    const pending = await send(JSON.stringify({ id: `evt_pending_${Date.now()}`, type: "x" }));
    const longAgo = new Date(Date.now() - (engine.ctx.env.IB_RETENTION_DAYS + 1) * 86_400_000);
    await engine.ctx.db
      .update(inboundWebhooks)
      .set({ receivedAt: longAgo, status: "PROCESSED" })
      .where(eq(inboundWebhooks.id, old.json.id));
    await service.stop(1000);
    try {
      await engine.ctx.db
        .update(inboundWebhooks)
        .set({ receivedAt: longAgo, status: "RECEIVED" })
        .where(eq(inboundWebhooks.id, pending.json.id));
      expect(await service.prune()).toBeGreaterThanOrEqual(1);
      const left = await engine.ctx.db.select({ id: inboundWebhooks.id }).from(inboundWebhooks);
      expect(left.map((r) => r.id)).not.toContain(old.json.id);
      expect(left.map((r) => r.id)).toContain(pending.json.id);
    } finally {
      service = inboundService(engine.ctx);
      await service.start();
    }
  });
});
