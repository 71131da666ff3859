import type { Preset } from "../preset-types.ts";

/**
 * Stripe's amount in minor units (https://docs.stripe.com/currencies#minor-units): amountCents as given, or a
 * decimal amount times 100; zero-decimal currencies (https://docs.stripe.com/currencies#zero-decimal) as is;
 * three-decimal ones times 1000 with the last digit 0, which Stripe requires of them.
 */
const STRIPE_MINOR_UNITS = `{% (
  $zeroDecimal := ['bif','clp','djf','gnf','jpy','kmf','krw','mga','pyg','rwf','ugx','vnd','vuv','xaf','xof','xpf'];
  $threeDecimal := ['bhd','jod','kwd','omr','tnd'];
  $currency := $lowercase(payload.currency);
  $exists(payload.amountCents) ? payload.amountCents
  : $currency in $zeroDecimal ? $round(payload.amount)
  : $currency in $threeDecimal ? $round(payload.amount * 100) * 10
  : $round(payload.amount * 100)
) %}`;

export const stripePaymentIntent: Preset = {
  id: "stripe-payment-intent",
  providerType: "payments",
  provider: "Stripe",
  name: "Stripe: create a PaymentIntent",
  description:
    "Creates a PaymentIntent for an order. Form-encoded body (Stripe's API takes no JSON), bearer secret key; " +
    "the engine's Idempotency-Key header makes Stripe ignore a retried request. The amount is amountCents when " +
    "the event has it, else amount (a decimal such as 49.90) in the currency's minor units as Stripe counts them: " +
    "JPY and the other zero-decimal currencies as is, KWD and the other three-decimal ones in thousandths ending in 0.",
  docsUrl: "https://docs.stripe.com/api/payment_intents/create",
  sourceEvent: "payment.requested",
  destination: {
    url: "https://api.stripe.com/v1/payment_intents",
    method: "POST",
    headers: { Authorization: "Bearer <<secret.secretKey>>" },
    bodyEncoding: "form",
  },
  mapping: {
    amount: STRIPE_MINOR_UNITS,
    // Stripe takes the ISO code in lower case only.
    currency: "{% $lowercase(payload.currency) %}",
    description: "Order <<event.payload.orderId>>",
    automatic_payment_methods: { enabled: true },
    metadata: { orderId: "$.payload.orderId", eventId: "$.id" },
  },
  secrets: [
    {
      name: "secretKey",
      label: "Stripe secret key",
      description: "Your Stripe secret key (sk_live_… or sk_test_…), sent as a bearer token.",
    },
  ],
  parameters: [],
  sampleEvent: {
    name: "payment.requested",
    payload: { orderId: "ord_1001", amountCents: 4990, currency: "usd", customerEmail: "ana@example.com" },
  },
  // The PaymentIntent's id comes back in the answer; Stripe's payment_intent.succeeded webhook (mapped to
  // payment.confirmed by a `stripe` source) carries it as data.object.id, with what was actually received.
  expect: {
    eventName: "payment.confirmed",
    key: "$.response.body.id",
    eventKey: "$.payload.data.object.id",
    withinMs: 3_600_000,
    compare: [
      { expected: "$.event.payload.amountCents", observed: "$.payload.data.object.amount_received" },
      { expected: "$.event.payload.currency", observed: "$.payload.data.object.currency" },
    ],
  },
};

export const mercadoPagoPayment: Preset = {
  id: "mercadopago-payment",
  providerType: "payments",
  provider: "Mercado Pago",
  name: "Mercado Pago: create a payment",
  description:
    "Creates a payment with a card token produced by Mercado Pago's checkout. JSON body, bearer access token, " +
    "and the X-Idempotency-Key Mercado Pago requires (the event id, stable across retries). The amount is rounded " +
    "to cents, installments default to 1, and an expiresAt in the event becomes date_of_expiration in the format " +
    "Mercado Pago documents (2026-11-25T23:59:59.000-03:00).",
  docsUrl: "https://www.mercadopago.com/developers/en/reference/payments/_payments/post",
  sourceEvent: "payment.requested",
  destination: {
    url: "https://api.mercadopago.com/v1/payments",
    method: "POST",
    headers: { Authorization: "Bearer <<secret.accessToken>>", "X-Idempotency-Key": "<<event.id>>" },
    bodyEncoding: "json",
  },
  mapping: {
    transaction_amount: "{% $round(payload.amount, 2) %}",
    token: "$.payload.cardToken",
    description: "Order <<event.payload.orderId>>",
    installments: "{% $default(payload.installments, 1) %}",
    payment_method_id: "$.payload.paymentMethodId",
    external_reference: "$.payload.orderId",
    payer: { email: "$.payload.customerEmail" },
    // yyyy-MM-dd'T'HH:mm:ss.SSSZ with a colon in the offset; left out when the event has no expiresAt.
    date_of_expiration:
      "{% $formatDate(payload.expiresAt, '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01]', 'America/Sao_Paulo') %}",
  },
  secrets: [
    {
      name: "accessToken",
      label: "Mercado Pago access token",
      description: "Your Mercado Pago access token (APP_USR-…), sent as a bearer token.",
    },
  ],
  parameters: [],
  sampleEvent: {
    name: "payment.requested",
    payload: {
      orderId: "ord_1001",
      amount: 149.9,
      cardToken: "ff8080814c11e237014c1ff593b57b4d",
      installments: 1,
      paymentMethodId: "visa",
      customerEmail: "ana@example.com",
      expiresAt: "2026-11-25T23:59:59Z",
    },
  },
  // Mercado Pago answers with the payment (numeric id); its payment notification carries the id as text in
  // data.id and nothing else, so the amount is compared only when the confirmation carries it.
  expect: {
    eventName: "payment.confirmed",
    key: "$.response.body.id",
    eventKey: "$.payload.data.id",
    withinMs: 3_600_000,
    compare: [{ expected: "$.event.payload.amount", observed: "$.payload.data.transaction_amount", optional: true }],
  },
};
