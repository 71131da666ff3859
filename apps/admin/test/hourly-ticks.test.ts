import { describe, expect, it } from "vitest";
import { countTicks } from "../components/app/hourly-chart";

describe("the metrics chart's axis", () => {
  it("ticks whole numbers only, never halves of a small count", () => {
    expect(countTicks(1)).toEqual({ top: 1, ticks: [0, 1] });
    expect(countTicks(3)).toEqual({ top: 4, ticks: [0, 2, 4] });
    expect(countTicks(5)).toEqual({ top: 5, ticks: [0, 5] });
    expect(countTicks(7)).toEqual({ top: 10, ticks: [0, 5, 10] });
    expect(countTicks(25)).toEqual({ top: 40, ticks: [0, 20, 40] });
    for (const max of [0, 1, 2, 3, 5, 9, 11, 25, 99, 1234, 56_789]) {
      const { top, ticks } = countTicks(max);
      expect(top).toBeGreaterThanOrEqual(max);
      expect(ticks.every(Number.isInteger)).toBe(true);
      expect(ticks.at(-1)).toBe(top);
      expect(ticks.length).toBeLessThanOrEqual(3);
    }
  });
});
