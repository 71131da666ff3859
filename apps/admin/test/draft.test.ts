import { ConnectorInputSchema } from "@ib/core/connector-schema";
// The admin reads presets from the engine at run time (@ib/providers is only a dev dependency); the test
// reads the definitions themselves so that every preset, including ones added later, is covered.
import { instantiatePreset, PRESETS } from "@ib/providers/presets";
import { describe, expect, it } from "vitest";
import {
  build,
  type Draft,
  draftFrom,
  draftFromJson,
  draftToJson,
  ENVELOPE_MAPPING,
  inputFrom,
  setMappingMode,
} from "../app/(app)/connectors/_components/draft";
import type { Connector } from "../lib/engine-types";

type Stored = Connector & Record<string, unknown>;

/** A connector as GET …/connectors/:id shows it (the engine's publicConnector), from a create body. */
function asStored(body: unknown, extra: Record<string, unknown> = {}): Stored {
  const c = ConnectorInputSchema.parse(body);
  return {
    id: "con_01jz0000000000000000000000",
    name: c.name,
    description: c.description ?? null,
    enabled: c.enabled,
    sourceEvent: c.sourceEvent,
    destination: c.destination,
    mapping: c.mapping ?? null,
    auth: c.auth ?? null,
    timeoutMs: c.timeoutMs,
    retryMaxAttempts: c.retryMaxAttempts,
    retryBackoffBaseMs: c.retryBackoffBaseMs,
    retryBackoffMaxMs: c.retryBackoffMaxMs,
    circuitFailureThreshold: c.circuitFailureThreshold,
    circuitCooldownMs: c.circuitCooldownMs,
    rateLimitPerSecond: c.rateLimitPerSecond ?? null,
    maxInFlight: c.maxInFlight ?? null,
    preset: c.preset ?? null,
    tags: c.tags,
    sampleEvent: c.sampleEvent ?? null,
    disabledReason: null,
    disabledAt: null,
    version: 3,
    createdAt: "2026-01-01T12:00:00.000Z",
    updatedAt: "2026-01-02T12:00:00.000Z",
    secrets: [{ name: "apiKey", createdAt: "2026-01-01T12:00:00.000Z", rotatedAt: null }],
    ...extra,
  } as Stored;
}

/** What a PUT must carry for the stored connector to stay as it is: everything but server-owned fields. */
function unchangedBody(c: Stored) {
  const { createdAt: _c, updatedAt: _u, secrets: _s, disabledReason: _r, disabledAt: _d, ...rest } = c;
  return rest;
}

function fromPreset(id: string): Stored {
  const preset = PRESETS.find((p) => p.id === id)!;
  const parameters = Object.fromEntries(preset.parameters.map((p) => [p.name, p.example ?? "x"]));
  return asStored(instantiatePreset(preset, { parameters }));
}

describe("the connector draft: load -> save changes nothing the user did not touch", () => {
  it.each(PRESETS.map((p) => [p.id]))("%s: unchanged, and a description edit changes only the description", (id) => {
    const stored = fromPreset(id);
    const draft = draftFrom(stored);
    expect(build(draft).input).toEqual(unchangedBody(stored));
    expect(build({ ...draft, description: "Edited in the admin" }).input).toEqual({
      ...unchangedBody(stored),
      description: "Edited in the admin",
    });
    // Through "Edit as JSON" and back to the form, too.
    const viaJson = draftFromJson(draftToJson(draft), draft);
    expect("draft" in viaJson && build(viaJson.draft).input).toEqual(unchangedBody(stored));
  });

  it("keeps a null mapping (the event envelope) as its own choice", () => {
    const stored = fromPreset("standard-webhooks");
    expect(stored.mapping).toBeNull();
    const draft = draftFrom(stored);
    expect(draft.mappingMode).toBe("envelope");
    expect(build(draft).input?.mapping).toBeNull();

    // Choosing a custom mapping starts from the envelope's own shape; choosing the envelope again sends null.
    const custom = setMappingMode(draft, "custom");
    expect(custom.mappingMode).toBe("custom");
    expect(JSON.parse(custom.mappingText)).toEqual(ENVELOPE_MAPPING);
    expect(build(custom).input?.mapping).toEqual(ENVELOPE_MAPPING);
    expect(build(setMappingMode(custom, "envelope")).input?.mapping).toBeNull();
    // "null" typed as the whole mapping in JSON mode is the envelope choice as well.
    const json = draftFromJson(JSON.stringify({ ...unchangedBody(stored), mapping: null }), custom);
    expect("draft" in json && json.draft.mappingMode).toBe("envelope");
  });

  it("keeps a custom mapping's text when switching to the envelope and back", () => {
    const stored = fromPreset("stripe-payment-intent");
    const draft = draftFrom(stored);
    expect(draft.mappingMode).toBe("custom");
    const back = setMappingMode(setMappingMode(draft, "envelope"), "custom");
    expect(build(back).input).toEqual(unchangedBody(stored));
  });

  it("keeps null and empty values the form cannot show as they are", () => {
    const stored = asStored(
      {
        name: "Bare",
        sourceEvent: "order.created",
        destination: { url: "https://hooks.example.com/x ", method: "POST", headers: {}, query: {} },
      },
      { description: "" },
    );
    expect(stored.sampleEvent).toBeNull();
    const draft = draftFrom(stored);
    // The preview still gets a sample to render against, but it is not saved unless edited.
    expect(JSON.parse(draft.sampleText)).toMatchObject({ payload: expect.any(Object) });
    expect(build(draft).input).toEqual(unchangedBody(stored));
    const edited: Draft = { ...draft, name: "Renamed" };
    expect(build(edited).input).toEqual({ ...unchangedBody(stored), name: "Renamed" });
    // Editing the sample saves it.
    const sample = { name: "order.created", payload: { orderId: "o1" } };
    expect(build({ ...draft, sampleText: JSON.stringify(sample) }).input?.sampleEvent).toEqual(sample);
    // Clearing a description that was null or "" keeps it as it was; clearing a real one stores null.
    expect(build({ ...draftFrom({ ...stored, description: "x" }), description: "" }).input?.description).toBeNull();
  });

  it("inputFrom (the one-click enable) sends everything but server-owned fields", () => {
    const stored = fromPreset("http-webhook");
    const disabled = { ...stored, enabled: false, disabledReason: "410 Gone", disabledAt: "2026-01-03T00:00:00.000Z" };
    expect(inputFrom(disabled, { enabled: true })).toEqual({ ...unchangedBody(stored), enabled: true });
  });
});
