import { describe, expect, it } from "vitest";
import { countAxis, failureFill, formatRate } from "./format.ts";

describe("countAxis", () => {
  it("ticks whole numbers only", () => {
    for (const max of [0, 1, 2, 3, 5, 7, 13, 99, 101, 1234, 98_765]) {
      const { top, ticks } = countAxis(max);
      expect(top).toBeGreaterThanOrEqual(max);
      expect(ticks[0]).toBe(0);
      expect(ticks.at(-1)).toBe(top);
      expect(ticks.every(Number.isInteger)).toBe(true);
      expect(ticks.length - 1).toBeLessThanOrEqual(4);
    }
  });

  it("steps by 1, 2 or 5 times a power of ten", () => {
    expect(countAxis(0)).toEqual({ top: 1, ticks: [0, 1] });
    expect(countAxis(4)).toEqual({ top: 4, ticks: [0, 1, 2, 3, 4] });
    expect(countAxis(5)).toEqual({ top: 6, ticks: [0, 2, 4, 6] });
    expect(countAxis(17)).toEqual({ top: 20, ticks: [0, 5, 10, 15, 20] });
    expect(countAxis(2.4)).toEqual({ top: 3, ticks: [0, 1, 2, 3] });
  });
});

describe("failureFill", () => {
  it("is empty at a 0 % failure rate and unknown when nothing finished", () => {
    expect(failureFill(120, 0)).toBe(0);
    expect(failureFill(0, 0)).toBeNull();
    expect(formatRate(0)).toBe("0%");
  });

  it("fills with the failure share, at least a visible sliver", () => {
    expect(failureFill(1, 1)).toBe(0.5);
    expect(failureFill(0, 3)).toBe(1);
    expect(failureFill(9999, 1)).toBe(0.04);
  });
});
