import type { Preset } from "../preset-types.ts";

/**
 * Message brokers as destinations (DESIGN §13): the event is published instead of POSTed, with the
 * delivery id as the message id, so consumers de-duplicate retries (AMQP `messageId`, `Nats-Msg-Id`).
 */

export const rabbitmqExchange: Preset = {
  id: "rabbitmq-exchange",
  providerType: "broker",
  provider: "RabbitMQ",
  name: "RabbitMQ exchange",
  description:
    "Publishes the event envelope as JSON to a RabbitMQ exchange, routing key = the event name, persistent, " +
    "with publisher confirms. The message id is the delivery id (stable across retries): consumers de-duplicate " +
    "on it. A message no queue is bound for is returned by the broker and the delivery fails with the reason.",
  docsUrl: "https://www.rabbitmq.com/docs/confirms",
  sourceEvent: "order.created",
  destination: {
    type: "amqp",
    url: "amqp://<<param.username>>:<<secret.brokerPassword>>@<<param.host>>",
    exchange: "<<param.exchange>>",
    routingKey: "<<event.name>>",
    headers: { "x-event-id": "<<event.id>>" },
  },
  mapping: null,
  secrets: [
    {
      name: "brokerPassword",
      label: "RabbitMQ password",
      description: "The password of the RabbitMQ user the engine publishes as (it needs write access to the exchange).",
    },
  ],
  parameters: [
    {
      name: "host",
      label: "Broker host",
      description: "host:port of RabbitMQ (add a /vhost path in the URL afterwards if you use one).",
      example: "rabbitmq.internal:5672",
    },
    { name: "username", label: "User", description: "The RabbitMQ user to publish as.", example: "integrations" },
    {
      name: "exchange",
      label: "Exchange",
      description: "The exchange to publish to (it must exist; a topic exchange routes by event name).",
      example: "events",
    },
  ],
  sampleEvent: { name: "order.created", payload: { orderId: "ord_1001", total: 49.9, currency: "USD" } },
};

export const natsJetStreamSubject: Preset = {
  id: "nats-jetstream-subject",
  providerType: "broker",
  provider: "NATS",
  name: "NATS JetStream subject",
  description:
    "Publishes the event envelope as JSON to a NATS subject captured by a JetStream stream (subject = prefix + " +
    "event name); success is the stream's ack. Nats-Msg-Id is the delivery id, so the stream drops a retry it " +
    "already has. A subject no stream captures fails the delivery with the reason.",
  docsUrl: "https://docs.nats.io/using-nats/developer/develop_jetstream/model_deep_dive#message-deduplication",
  sourceEvent: "order.created",
  destination: {
    type: "nats",
    servers: "nats://<<param.host>>",
    subject: "<<param.subjectPrefix>>.<<event.name>>",
  },
  mapping: null,
  secrets: [],
  parameters: [
    {
      name: "host",
      label: "Server",
      description:
        "host:port of a NATS server (several: comma-separated URLs; credentials as nats://user:<<secret.natsPassword>>@host).",
      example: "nats.internal:4222",
    },
    {
      name: "subjectPrefix",
      label: "Subject prefix",
      description: "Events go to <prefix>.<event name>; a stream must capture <prefix>.>",
      example: "events",
    },
  ],
  sampleEvent: { name: "order.created", payload: { orderId: "ord_1001", total: 49.9, currency: "USD" } },
};
