import { Sha256 } from "@aws-crypto/sha256-js";
import { deliveryAttempts } from "@ib/db";
import { SignatureV4 } from "@smithy/signature-v4";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveryWorker } from "../src/worker/service.ts";
import { startDestination, uniqueEventName } from "./delivery-fixtures.ts";
import { startTestEngine, type TestEngine, testDrivers, waitFor } from "./harness.ts";

const credentials = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

// Presets delivered by the real worker to a real server on 127.0.0.1: what arrives is what the provider expects.
describe.each(testDrivers())("preset connectors through the delivery worker on %s", (driver) => {
  let engine: TestEngine;
  let destination: Awaited<ReturnType<typeof startDestination>>;
  let worker: ReturnType<typeof deliveryWorker>;
  beforeAll(async () => {
    engine = await startTestEngine(driver, { IB_ALLOW_PRIVATE_DESTINATIONS: "1" });
    destination = await startDestination();
    worker = deliveryWorker(engine.ctx);
    await worker.start();
  });
  afterAll(async () => {
    await worker?.stop(1000);
    await destination?.close();
    await engine?.close();
  });

  async function fromPreset(preset: string, body: Record<string, unknown>) {
    const res = await engine.api("POST", `/admin/integration-builder/presets/${preset}/connectors`, { body });
    expect(res.status, res.text).toBe(201);
    return res.json.connector as { id: string; sourceEvent: string };
  }

  it("S3 PutObject arrives signed with a SigV4 signature the official AWS signer agrees with", async () => {
    const name = uniqueEventName("archive");
    const connector = await fromPreset("s3-put-object", {
      secrets: credentials,
      parameters: { bucketUrl: `${destination.url}/archive-bucket`, region: "eu-west-1" },
      overrides: { sourceEvent: name },
    });
    const before = destination.received.length;
    const ingest = await engine.api("POST", "/v1/events", {
      token: engine.tokens.ingest,
      body: { name, payload: { orderId: "o-1" } },
    });
    expect(ingest.status).toBe(202);
    await waitFor(() => destination.received.length > before, { message: "the PutObject request" });
    const req = destination.received.at(-1);
    if (!req) throw new Error("nothing received");
    expect(req.method).toBe("PUT");
    expect(req.url).toBe(`/archive-bucket/events/${ingest.json.id}.json`);
    expect(JSON.parse(req.body)).toMatchObject({ id: ingest.json.id, payload: { orderId: "o-1" } });

    const auth = String(req.headers.authorization);
    const match =
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/(\d{8})\/eu-west-1\/s3\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    expect(match, auth).not.toBeNull();
    const signed = (match?.[2] ?? "").split(";");
    expect(signed).toEqual(expect.arrayContaining(["host", "x-amz-date", "x-amz-content-sha256", "content-type"]));
    // Recompute with @smithy/signature-v4 from what arrived: same headers, same body, same date.
    const amzDate = String(req.headers["x-amz-date"]);
    const signingDate = new Date(
      `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
    );
    const headers = Object.fromEntries(signed.map((h) => [h, String(req.headers[h])]));
    const official = await new SignatureV4({
      credentials,
      region: "eu-west-1",
      service: "s3",
      sha256: Sha256,
      uriEscapePath: false,
    }).sign(
      {
        method: req.method,
        protocol: "http:",
        hostname: "127.0.0.1",
        path: req.url,
        query: {},
        headers,
        body: req.body,
      },
      { signingDate },
    );
    expect(official.headers.authorization).toBe(auth);

    // The stored attempt keeps the evidence without the credentials.
    const [attempt] = await waitFor(async () => {
      const rows = await engine.ctx.db
        .select()
        .from(deliveryAttempts)
        .where(eq(deliveryAttempts.connectorId, connector.id));
      return rows.length ? rows : null;
    });
    const stored = JSON.stringify(attempt?.request);
    expect(stored).not.toContain(credentials.accessKeyId);
    expect(stored).not.toContain(match?.[3]);
  });

  it("Twilio SMS arrives form-encoded with HTTP Basic auth built from two secrets", async () => {
    const name = uniqueEventName("sms");
    const connector = await fromPreset("twilio-sms", {
      secrets: { accountSid: "AC0123456789abcdef", authToken: "twilio-token-value" },
      parameters: { fromNumber: "+15005550006" },
      overrides: {
        sourceEvent: name,
        destination: { url: `${destination.url}/2010-04-01/Accounts/<<secret.accountSid>>/Messages.json` },
      },
    });
    const before = destination.received.length;
    await engine.api("POST", "/v1/events", {
      token: engine.tokens.ingest,
      // Written as people write it; Twilio gets E.164.
      body: { name, payload: { phone: "+55 (11) 99999-0000", text: "hi" } },
    });
    await waitFor(() => destination.received.length > before, { message: "the Twilio request" });
    const req = destination.received.at(-1);
    expect(req?.url).toBe("/2010-04-01/Accounts/AC0123456789abcdef/Messages.json");
    expect(req?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(req?.headers.authorization).toBe(
      `Basic ${Buffer.from("AC0123456789abcdef:twilio-token-value").toString("base64")}`,
    );
    expect(Object.fromEntries(new URLSearchParams(req?.body))).toEqual({
      To: "+5511999990000",
      From: "+15005550006",
      Body: "hi",
    });
    const [attempt] = await waitFor(async () => {
      const rows = await engine.ctx.db
        .select()
        .from(deliveryAttempts)
        .where(eq(deliveryAttempts.connectorId, connector.id));
      return rows.length ? rows : null;
    });
    expect(JSON.stringify(attempt?.request)).not.toContain("twilio-token-value");
  });
});
