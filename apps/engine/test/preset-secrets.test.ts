import { generateSigningSecret, SIGNING_SECRET_HINT } from "@ib/providers/signing-secret";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope, startTestEngine, type TestEngine, testDrivers } from "./harness.ts";

describe.each(testDrivers())("preset secrets, as a person fills them in, on %s", (driver) => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine(driver);
  });
  afterAll(async () => engine?.close());

  it("lists every secret and parameter with a label, its help and its format", async () => {
    const res = await engine.api("GET", "/admin/integration-builder/presets");
    expect(res.status).toBe(200);
    const presets = res.json.presets as Array<{
      id: string;
      secrets: { name: string; label: string; description: string; format?: string }[];
      parameters: { name: string; label: string; format?: string }[];
    }>;
    const signed = presets.find((p) => p.id === "standard-webhooks");
    expect(signed?.secrets).toEqual([
      {
        name: "signingSecret",
        label: "Signing secret",
        format: "whsec",
        description: expect.stringContaining(SIGNING_SECRET_HINT),
      },
    ]);
    expect(signed?.parameters[0]).toMatchObject({ name: "url", label: "Receiver URL", format: "url" });
    const slack = presets.find((p) => p.id === "slack-incoming-webhook");
    expect(slack?.secrets.map((s) => s.label)).toEqual(["Workspace id (T…)", "Webhook id (B…)", "Webhook token"]);
  });

  it("takes a generated signing secret and refuses one the signer could not use, saying why", async () => {
    const create = (signingSecret: string) =>
      engine.api("POST", "/admin/integration-builder/presets/standard-webhooks/connectors", {
        body: { name: "Signed orders", secrets: { signingSecret }, parameters: { url: "http://127.0.0.1:9/hook" } },
      });
    const tooShort = await create(`whsec_${Buffer.alloc(12, 1).toString("base64")}`);
    expectEnvelope(tooShort, 400);
    expect(tooShort.json.error.message).toContain("at least 16 bytes");
    expect(tooShort.json.error.message).not.toContain(Buffer.alloc(12, 1).toString("base64"));
    const noPrefix = await create(Buffer.alloc(32, 1).toString("base64"));
    expectEnvelope(noPrefix, 400);
    expect(noPrefix.json.error.message).toContain("must start with whsec_");
    // Nothing half-made is left behind by the refusals.
    const before = await engine.api("GET", "/admin/integration-builder/connectors");
    expect(before.json.connectors.filter((c: { name: string }) => c.name === "Signed orders")).toHaveLength(0);

    const ok = await create(generateSigningSecret());
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json.connector.secrets.map((s: { name: string }) => s.name)).toEqual(["signingSecret"]);
  });
});
