import { z } from "@hono/zod-openapi";
import { ConnectorInputSchema } from "@ib/core/connector-schema";

/** The body of PUT …/connectors: the core schema (shared with the admin UI), named for OpenAPI. */
export const ConnectorInput = ConnectorInputSchema;

export { ConnectorSchema, SecretNameSchema } from "@ib/core/contracts/connector";

export const ConnectorIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, example: "con_01j9z3m4x8r2w5k7q1c6v0b3n8" }),
});

/** Named examples of a PUT body: the plain one, and one with expressions and a filter (DESIGN §10). */
export const CONNECTOR_INPUT_EXAMPLES = {
  plain: {
    summary: "JSONPath and templates",
    value: {
      name: "Orders to ERP",
      enabled: true,
      sourceEvent: "order.created",
      destination: {
        url: "https://erp.example.com/orders",
        method: "POST",
        headers: { "X-Api-Key": "<<secret.apiKey>>" },
      },
      mapping: { eventId: "$.id", orderId: "$.payload.orderId", auth: "Bearer <<secret.token>>" },
      timeoutMs: 10000,
      retryMaxAttempts: 5,
      retryBackoffBaseMs: 1000,
    },
  },
  expressionsAndRules: {
    summary: "Expressions in the mapping, a filter of rules",
    value: {
      name: "Large Brazilian orders to the ERP",
      sourceEvent: "order.created",
      filter: {
        all: [
          { path: "$.payload.country", op: "eq", value: "BR" },
          { path: "$.payload.total", op: "gte", value: 100 },
        ],
      },
      destination: {
        url: "https://erp.example.com/orders",
        method: "POST",
        headers: { "X-Api-Key": "<<secret.apiKey>>" },
      },
      mapping: {
        orderId: "$.payload.orderId",
        amountCents: "{% $round(payload.total * 100) %}",
        placedOn: "{% $formatDate(payload.createdAt, '[D01]/[M01]/[Y0001]', 'America/Sao_Paulo') %}",
        customer: "{% payload.customer.firstName & ' ' & payload.customer.lastName %}",
        lines: "{% [payload.items.{ 'sku': sku, 'quantity': qty }] %}",
      },
    },
  },
  expressionFilter: {
    summary: "A filter written as an expression; a header computed from secrets",
    value: {
      name: "Big USD payments to the ledger",
      sourceEvent: "payment.*",
      filter: { expression: "{% payload.currency = 'USD' and payload.amount > 1000 %}" },
      destination: {
        url: "https://ledger.example.com/entries",
        method: "POST",
        headers: { Authorization: "{% 'Basic ' & $base64encode($secret('user') & ':' & $secret('password')) %}" },
      },
      mapping: { reference: "$.id", amount: "$.payload.amount", currency: "{% $lowercase(payload.currency) %}" },
    },
  },
};
