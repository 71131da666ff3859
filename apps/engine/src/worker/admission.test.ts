import { RequestPlan } from "@ib/core/expressions";
import type { Connector } from "@ib/db";
import { describe, expect, it } from "vitest";
import { type AdmissionBatch, type AdmissionPorts, admit } from "./admission.ts";
import type { ClaimedDelivery } from "./claim.ts";
import type { CachedConnector } from "./connector-cache.ts";

const NOW = Date.parse("2026-01-01T00:00:00Z");
const OPTIONS = { disabledRecheckMs: 10_000 };

function cachedConnector(patch: Partial<Connector> = {}): CachedConnector {
  const connector = {
    id: "con_a",
    enabled: true,
    maxInFlight: null,
    rateLimitPerSecond: null,
    timeoutMs: 5000,
    ...patch,
  } as Connector;
  return { connector, secrets: {}, plan: RequestPlan.compile({ destination: {} }) };
}

function delivery(circuit: Partial<ClaimedDelivery["circuit"]> = {}): ClaimedDelivery {
  return {
    id: "dlv_1",
    connectorId: "con_a",
    circuit: { state: "closed", openUntil: null, consecutiveFailures: 0, ...circuit },
  } as ClaimedDelivery;
}

/** Ports that admit everything, counting the probes and tokens taken; `patch` changes one answer. */
function ports(patch: Partial<AdmissionPorts> = {}) {
  const calls = { probes: 0, tokens: 0 };
  const p: AdmissionPorts = {
    isGone: () => false,
    inFlight: () => 0,
    acquireProbe: async () => {
      calls.probes += 1;
      return true;
    },
    effective: async (cached) => cached,
    takeRateToken: async () => {
      calls.tokens += 1;
      return { ok: true };
    },
    now: () => NOW + 7,
    ...patch,
  };
  return { p, calls };
}

const batch = (): AdmissionBatch => ({ now: NOW, probing: new Set() });

describe("worker admission", () => {
  it("sends a delivery of an enabled connector with a closed circuit and no limits", async () => {
    const cached = cachedConnector();
    const { p, calls } = ports();
    expect(await admit(delivery(), cached, batch(), p, OPTIONS)).toEqual({ admit: true, cached, isProbe: false });
    expect(calls).toEqual({ probes: 0, tokens: 0 });
  });

  it("holds a disabled connector's delivery, and one whose destination just answered 410", async () => {
    const disabled = await admit(delivery(), cachedConnector({ enabled: false }), batch(), ports().p, OPTIONS);
    expect(disabled).toMatchObject({ admit: false, why: "disabled", at: NOW + 10_000 });
    const gone = await admit(delivery(), cachedConnector(), batch(), ports({ isGone: () => true }).p, OPTIONS);
    expect(gone).toMatchObject({ admit: false, why: "disabled", at: NOW + 10_000 });
  });

  it("holds a delivery until an open circuit's cool-down ends, without trying the probe", async () => {
    const openUntil = new Date(NOW + 30_000);
    const { p, calls } = ports();
    const result = await admit(delivery({ state: "open", openUntil }), cachedConnector(), batch(), p, OPTIONS);
    expect(result).toMatchObject({ admit: false, why: "circuit", at: openUntil.getTime() });
    expect(result.admit === false && result.reason).toContain(openUntil.toISOString());
    expect(calls.probes).toBe(0);
  });

  it("lets one probe through a cooled-down circuit per batch, past the cap and the rate limit", async () => {
    const cached = cachedConnector({ maxInFlight: 1, rateLimitPerSecond: 1 });
    const { p, calls } = ports({ inFlight: () => 1 });
    const b = batch();
    const cooled = delivery({ state: "open", openUntil: new Date(NOW - 1) });
    expect(await admit(cooled, cached, b, p, OPTIONS)).toMatchObject({ admit: true, isProbe: true });
    expect(b.probing.has("con_a")).toBe(true);
    expect(await admit(cooled, cached, b, p, OPTIONS)).toMatchObject({ admit: false, why: "circuit", at: NOW });
    expect(calls).toEqual({ probes: 1, tokens: 0 });
  });

  it("gives a delivery back at once when another worker holds the probe", async () => {
    const { p } = ports({ acquireProbe: async () => false });
    const halfOpen = delivery({ state: "half_open", openUntil: new Date(NOW + 60_000) });
    const result = await admit(halfOpen, cachedConnector(), batch(), p, OPTIONS);
    expect(result).toMatchObject({ admit: false, why: "circuit", at: NOW });
  });

  it("postpones a delivery when its connector already has maxInFlight deliveries running", async () => {
    const cached = cachedConnector({ maxInFlight: 2 });
    expect(await admit(delivery(), cached, batch(), ports({ inFlight: () => 1 }).p, OPTIONS)).toMatchObject({
      admit: true,
    });
    expect(await admit(delivery(), cached, batch(), ports({ inFlight: () => 2 }).p, OPTIONS)).toEqual({
      admit: false,
      at: NOW,
      why: "capacity",
    });
  });

  it("takes a rate token, using the limit the registry's overrides set, and looks again when the next is due", async () => {
    const cached = cachedConnector();
    const overridden = cachedConnector({ rateLimitPerSecond: 4 });
    const { p, calls } = ports({ effective: async () => overridden });
    const result = await admit(delivery(), cached, batch(), p, OPTIONS);
    expect(result).toEqual({ admit: true, cached: overridden, isProbe: false, recheckAt: NOW + 7 + 250 });
    expect(calls.tokens).toBe(1);
  });

  it("postpones a delivery until the bucket has a token again", async () => {
    const { p } = ports({ takeRateToken: async () => ({ ok: false, retryAfterMs: 300 }) });
    const result = await admit(delivery(), cachedConnector({ rateLimitPerSecond: 2 }), batch(), p, OPTIONS);
    expect(result).toMatchObject({ admit: false, why: "rate", at: NOW + 7 + 300 });
    expect(result.admit === false && result.reason).toContain("2/s");
  });
});
