import { getPreset } from "@ib/providers/presets";
import { generateSigningSecret } from "@ib/providers/signing-secret";
import { describe, expect, it } from "vitest";
import { checkPresetForm } from "../app/(app)/presets/_components/preset-form";

const signed = getPreset("standard-webhooks")!;
const twilio = getPreset("twilio-sms")!;
const s3 = getPreset("s3-put-object")!;
const ok = { name: "Signed orders", sourceEvent: "order.created" };

describe("the preset dialog's checks", () => {
  it("says why Create is disabled, naming each field by its label", () => {
    const empty = checkPresetForm(signed, { name: " ", sourceEvent: "", secrets: {}, parameters: {} });
    expect(empty.reasons).toEqual([
      "Give the connector a name",
      "Say which events it delivers (Source event)",
      "Fill in Receiver URL",
      "Fill in Signing secret",
    ]);
    expect(empty.fields).toEqual({
      name: "Required",
      sourceEvent: "Required",
      "param:url": "Required",
      "secret:signingSecret": "Required",
    });
  });

  it("checks a signing secret the way the engine does, and takes a generated one", () => {
    const check = (secret: string) =>
      checkPresetForm(signed, {
        ...ok,
        secrets: { signingSecret: secret },
        parameters: { url: "http://127.0.0.1:4000/hook" },
      });
    expect(check("hunter2").reasons).toEqual(["Signing secret must start with whsec_"]);
    expect(check(`whsec_${Buffer.alloc(12).toString("base64")}`).fields["secret:signingSecret"]).toMatch(
      /at least 16 bytes/,
    );
    expect(check(generateSigningSecret()).reasons).toEqual([]);
  });

  it("accepts http:// as well as https:// (as the engine does), refuses other schemes and template markup", () => {
    const url = (value: string) =>
      checkPresetForm(signed, {
        ...ok,
        secrets: { signingSecret: generateSigningSecret() },
        parameters: { url: value },
      }).reasons;
    expect(url("http://localhost:4000/hook")).toEqual([]);
    expect(url("https://hooks.example.com/orders")).toEqual([]);
    expect(url("ftp://example.com/x")).toEqual(["Receiver URL must be an http:// or https:// URL"]);
    expect(url("https://x.example.com/<<event.id>>")).toEqual(["Receiver URL: plain text only: no << >> or {{ }}"]);
  });

  it("matches the engine's source event patterns and lets defaults stand in for empty parameters", () => {
    const base = {
      secrets: { accessKeyId: "AKIA…", secretAccessKey: "s" },
      parameters: { bucketUrl: "https://b.s3.amazonaws.com" },
    };
    for (const sourceEvent of ["order.created", "order.*", "*"])
      expect(checkPresetForm(s3, { ...ok, ...base, sourceEvent }).reasons).toEqual([]);
    expect(checkPresetForm(s3, { ...ok, ...base, sourceEvent: "order.*.x" }).fields.sourceEvent).toMatch(
      /ending in \.\*/,
    );
    // region and keyPrefix have defaults; fromNumber (Twilio) has none.
    expect(
      checkPresetForm(twilio, { ...ok, secrets: { accountSid: "AC1", authToken: "t" }, parameters: {} }).reasons,
    ).toEqual(["Fill in Sender phone number"]);
  });
});
