import { ConnectorInputSchema } from "@ib/core/connector-schema";
import { ExpectSchema } from "@ib/core/contracts/reconciliation";
import { differences, eventKeyOf, observedValues, openingFor } from "@ib/core/reconciliation";
import { describe, expect, it } from "vitest";
import { getPreset, instantiatePreset, PRESETS } from "./presets.ts";

describe("preset expectations (reconciliation)", () => {
  it("the payment presets come with a valid expect, carried into the connector", () => {
    for (const id of ["stripe-payment-intent", "mercadopago-payment"]) {
      const preset = getPreset(id);
      expect(preset?.expect, id).toBeDefined();
      expect(ExpectSchema.safeParse(preset?.expect).success, id).toBe(true);
      const connector = instantiatePreset(preset!, { parameters: {} });
      expect(connector.expect).toEqual(preset?.expect);
      expect(ConnectorInputSchema.safeParse(connector).success, id).toBe(true);
    }
    for (const preset of PRESETS) if (preset.expect) expect(ExpectSchema.safeParse(preset.expect).success).toBe(true);
    const none = instantiatePreset(getPreset("stripe-payment-intent")!, { overrides: { expect: null } });
    expect(none.expect).toBeNull();
  });

  it("Stripe: the PaymentIntent id from the answer is the payment_intent.succeeded event's data.object.id", async () => {
    const preset = getPreset("stripe-payment-intent")!;
    const event = { id: "evt_1", name: "payment.requested", payload: preset.sampleEvent.payload };
    const answer = { id: "pi_3N", object: "payment_intent", amount: 4990, currency: "usd" };
    const opening = await openingFor(preset.expect!, { event, response: { status: 200, headers: {}, body: answer } });
    expect(opening).toMatchObject({ key: "pi_3N", expected: [{ value: 4990 }, { value: "usd" }] });
    const webhook = {
      id: "evt_2",
      name: "payment.confirmed",
      payload: {
        type: "payment_intent.succeeded",
        data: { object: { id: "pi_3N", amount_received: 4990, currency: "usd" } },
      },
    };
    expect(await eventKeyOf(preset.expect!.eventKey, webhook)).toBe("pi_3N");
    expect(differences(opening.expected, await observedValues(opening.expected, webhook))).toEqual([]);
  });

  it("Mercado Pago: a numeric payment id matches the notification's text data.id; the amount only when sent", async () => {
    const preset = getPreset("mercadopago-payment")!;
    const event = { id: "evt_1", name: "payment.requested", payload: preset.sampleEvent.payload };
    const answer = { id: 1319498732, status: "approved", transaction_amount: 149.9 };
    const opening = await openingFor(preset.expect!, { event, response: { status: 201, headers: {}, body: answer } });
    expect(opening.key).toBe("1319498732");
    const notification = {
      id: "e",
      name: "payment.confirmed",
      payload: { action: "payment.created", data: { id: "1319498732" } },
    };
    expect(await eventKeyOf(preset.expect!.eventKey, notification)).toBe("1319498732");
    expect(differences(opening.expected, await observedValues(opening.expected, notification))).toEqual([]);
    const withAmount = { ...notification, payload: { data: { id: "1319498732", transaction_amount: 100 } } };
    expect(differences(opening.expected, await observedValues(opening.expected, withAmount))).toEqual([0]);
  });
});
