import { ConnectorInputSchema, connectorSecretNames } from "@ib/core/connector-schema";
import { isBrokerDestination } from "@ib/core/contracts/broker";
import { renderRequest } from "@ib/core/render-request";
import { instantiatePreset, PRESETS } from "@ib/providers";
import { describe, expect, it } from "vitest";
import { prepareBrokerMessage } from "../src/worker/transports/broker.ts";

// Every preset must produce a connector the connectors API accepts and the mapping engine renders.
describe("presets against the connector schema and the mapping engine", () => {
  it.each(PRESETS.map((p) => [p.id, p] as const))("%s", async (_id, preset) => {
    const parameters = Object.fromEntries(preset.parameters.map((p) => [p.name, p.example]));
    const connector = instantiatePreset(preset, { parameters });
    const parsed = ConnectorInputSchema.safeParse(connector);
    expect(parsed.error?.issues ?? []).toEqual([]);
    const input = parsed.data!;
    const names = connectorSecretNames(input);
    const secrets = Object.fromEntries(names.map((n) => [n, `value-of-${n}-1234`]));
    const sample = input.sampleEvent!;
    const event = {
      id: "evt_1",
      name: sample.name ?? input.sourceEvent,
      source: null,
      time: "2026-01-01T00:00:00Z",
      payload: sample.payload,
    };
    const { destination, mapping } = input;
    const rendered = isBrokerDestination(destination)
      ? await prepareBrokerMessage({ id: "dlv_1", event, destination, mapping, secrets }).then((m) => ({
          warnings: m.warnings,
          redacted: m.shown,
        }))
      : await renderRequest({ destination, mapping, event, secrets });
    expect(rendered.warnings).toEqual([]);
    expect(JSON.stringify(rendered.redacted)).not.toMatch(/value-of-/);
  });
});
