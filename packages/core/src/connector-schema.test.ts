import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConnectorInputSchema, connectorSecretNames, isHttpUrlTemplate } from "./connector-schema.ts";

const valid = {
  name: "Orders to ERP",
  sourceEvent: "order.created",
  destination: { url: "https://erp.example.com/orders", method: "POST", headers: { "X-Api-Key": "<<secret.apiKey>>" } },
  mapping: { eventId: "$.id", orderId: "$.payload.orderId", auth: "Bearer <<secret.token>>" },
};

function issues(input: unknown): string[] {
  const result = ConnectorInputSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.path.join("."));
}

describe("ConnectorInputSchema", () => {
  it("accepts the DESIGN example and fills the database defaults", () => {
    const parsed = ConnectorInputSchema.parse(valid);
    expect(parsed).toMatchObject({
      enabled: true,
      timeoutMs: 10_000,
      retryMaxAttempts: 5,
      retryBackoffBaseMs: 1_000,
      retryBackoffMaxMs: 3_600_000,
      circuitFailureThreshold: 10,
      circuitCooldownMs: 30_000,
      tags: {},
      destination: { bodyEncoding: "json" },
    });
  });

  it("accepts every optional field", () => {
    const full = {
      ...valid,
      id: "con_01j9z3m4x8r2w5k7q1c6v0b3n8",
      version: 3,
      description: "d",
      enabled: false,
      sourceEvent: "order.*",
      destination: { ...valid.destination, method: "PATCH", query: { a: "<<event.id>>" }, bodyEncoding: "form" },
      auth: {
        type: "awsSigV4",
        region: "eu-west-1",
        service: "execute-api",
        accessKeyIdSecret: "awsKeyId",
        secretAccessKeySecret: "awsSecret",
      },
      timeoutMs: 100,
      retryMaxAttempts: 50,
      retryBackoffBaseMs: 10,
      retryBackoffMaxMs: 10,
      circuitFailureThreshold: 3,
      circuitCooldownMs: 5_000,
      rateLimitPerSecond: 2.5,
      maxInFlight: 4,
      preset: "stripe",
      tags: { country: "BR", providerType: "payments" },
      sampleEvent: { name: "order.created", payload: { orderId: "o1" } },
    };
    expect(issues(full)).toEqual([]);
  });

  it.each([
    ["empty name", { name: "  " }, "name"],
    ["bad sourceEvent", { sourceEvent: "order.*.x" }, "sourceEvent"],
    ["leading wildcard", { sourceEvent: "*.created" }, "sourceEvent"],
    ["ftp url", { destination: { url: "ftp://erp.example.com", method: "POST" } }, "destination.url"],
    ["not a url", { destination: { url: "erp.example.com", method: "POST" } }, "destination.url"],
    ["javascript url", { destination: { url: "javascript:alert(1)", method: "POST" } }, "destination.url"],
    ["unknown method", { destination: { url: "https://a.example", method: "TRACE" } }, "destination.method"],
    [
      "bad header name",
      { destination: { url: "https://a.example", method: "POST", headers: { "a b": "x" } } },
      "destination.headers.a b",
    ],
    [
      "bad encoding",
      { destination: { url: "https://a.example", method: "POST", bodyEncoding: "xml" } },
      "destination.bodyEncoding",
    ],
    [
      "a bad header template",
      { destination: { url: "https://a.example", method: "POST", headers: { A: "<<nope>>" } } },
      "destination.headers.A",
    ],
    [
      "a header line break",
      { destination: { url: "https://a.example", method: "POST", headers: { A: "x\r\nB: y" } } },
      "destination.headers.A",
    ],
    [
      "a bad query template",
      { destination: { url: "https://a.example", method: "POST", query: { q: "<<#event.x>>" } } },
      "destination.query.q",
    ],
    [
      "a bad url template",
      { destination: { url: "https://a.example/<<secret.a.b>>", method: "POST" } },
      "destination.url",
    ],
    ["timeout low", { timeoutMs: 99 }, "timeoutMs"],
    ["timeout high", { timeoutMs: 60_001 }, "timeoutMs"],
    ["timeout string", { timeoutMs: "1000" }, "timeoutMs"],
    ["attempts 0", { retryMaxAttempts: 0 }, "retryMaxAttempts"],
    ["attempts 51", { retryMaxAttempts: 51 }, "retryMaxAttempts"],
    ["attempts fractional", { retryMaxAttempts: 1.5 }, "retryMaxAttempts"],
    ["backoff base low", { retryBackoffBaseMs: 9 }, "retryBackoffBaseMs"],
    ["backoff max below base", { retryBackoffBaseMs: 5_000, retryBackoffMaxMs: 1_000 }, "retryBackoffMaxMs"],
    ["unknown field", { colour: "red" }, ""],
    ["bad mapping placeholder", { mapping: { a: "<<payload.x>>" } }, "mapping.a"],
    ["mapping filter expression", { mapping: { a: "$.payload[?(@.x)]" } }, "mapping.a"],
    ["unknown auth type", { auth: { type: "magic" } }, "auth.type"],
    [
      "bad auth secret name",
      { auth: { type: "awsSigV4", region: "x", service: "s3", accessKeyIdSecret: "a.b", secretAccessKeySecret: "b" } },
      "auth.accessKeyIdSecret",
    ],
    ["id without version", { id: "con_01j9z3m4x8r2w5k7q1c6v0b3n8" }, "version"],
    ["bad id", { id: "nope", version: 1 }, "id"],
    ["negative rate", { rateLimitPerSecond: -1 }, "rateLimitPerSecond"],
    ["too many tags", { tags: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`t${i}`, "x"])) }, "tags"],
  ])("refuses %s", (_label, patch, path) => {
    expect(issues({ ...valid, ...patch })).toContain(path);
  });

  it("refuses a huge mapping", () => {
    expect(issues({ ...valid, mapping: { a: "x".repeat(300 * 1024) } })).toContain("mapping");
  });

  it("accepts basic auth", () => {
    expect(issues({ ...valid, auth: { type: "basic", usernameSecret: "user", passwordSecret: "pass" } })).toEqual([]);
    expect(issues({ ...valid, auth: { type: "basic", usernameSecret: "user" } })).toContain("auth.passwordSecret");
  });

  it("derives a JSON Schema for the admin UI's JSON editor", () => {
    const schema = z.toJSONSchema(ConnectorInputSchema, { io: "input", unrepresentable: "any" }) as any;
    const def = schema.$defs.ConnectorInput;
    expect(def.required).toEqual(["name", "sourceEvent", "destination"]);
    expect(def.properties.timeoutMs).toMatchObject({ minimum: 100, maximum: 60_000, default: 10_000 });
    const variants = def.properties.destination.oneOf as Array<{ properties: { type: { const: string } } }>;
    expect(variants.map((v) => v.properties.type.const)).toEqual(["http", "amqp", "nats"]);
    const http = variants[0] as any;
    expect(http.properties.method.enum).toEqual(["GET", "POST", "PUT", "PATCH", "DELETE"]);
  });
});

describe("helpers", () => {
  it("isHttpUrlTemplate accepts placeholders, refuses other schemes", () => {
    expect(isHttpUrlTemplate("https://a.example/o/<<event.payload.id>>?k={{secret.k}}")).toBe(true);
    expect(isHttpUrlTemplate("https://<<secret.host>>/x")).toBe(true);
    expect(isHttpUrlTemplate("file:///etc/passwd")).toBe(false);
    expect(isHttpUrlTemplate("http://")).toBe(false);
  });

  it("connectorSecretNames lists templates' and auth's secrets", () => {
    expect(
      connectorSecretNames({
        destination: {
          url: "https://a.example/<<secret.path>>",
          headers: { A: "<<secret.apiKey>>" },
          query: { q: "{{secret.q}}" },
        },
        mapping: { t: "Bearer <<secret.token>>", p: "$.payload" },
        auth: { type: "awsSigV4", region: "r", service: "s", accessKeyIdSecret: "kid", secretAccessKeySecret: "ksec" },
      }),
    ).toEqual(["apiKey", "kid", "ksec", "path", "q", "token"]);
  });
});
