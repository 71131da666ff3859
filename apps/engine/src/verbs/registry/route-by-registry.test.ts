import { describe, expect, it } from "vitest";
import { registryPairKey, registryPairOf } from "./route-by-registry.ts";

describe("registryPairOf", () => {
  it("reads country and providerType from attributes first, then the payload", () => {
    expect(registryPairOf({ payload: { country: "br", providerType: "payments" } })).toEqual({
      country: "BR",
      providerType: "payments",
    });
    expect(
      registryPairOf({ attributes: { country: "MX", providertype: "messaging" }, payload: { country: "AR" } }),
    ).toEqual({
      country: "MX",
      providerType: "messaging",
    });
    expect(registryPairOf({ attributes: { country: "CL" }, payload: { provider_type: "maps" } })).toEqual({
      country: "CL",
      providerType: "maps",
    });
  });

  it("needs both, as non-empty strings, in an object payload", () => {
    expect(registryPairOf({ payload: { country: "BR" } })).toBeNull();
    expect(registryPairOf({ payload: { country: "BR", providerType: "" } })).toBeNull();
    expect(registryPairOf({ payload: { country: 55, providerType: "payments" } })).toBeNull();
    expect(registryPairOf({ payload: ["BR", "payments"] })).toBeNull();
    expect(registryPairOf({ payload: null })).toBeNull();
    expect(registryPairKey({ payload: "text" })).toBe("");
    expect(registryPairKey({ payload: { country: "pt", providerType: "storage" } })).toBe("PT/storage");
  });
});
