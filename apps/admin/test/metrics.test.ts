import { describe, expect, it } from "vitest";
import { fillHours } from "../components/app/hourly-chart";
import { count } from "../lib/format";

describe("24 h figures", () => {
  it("keeps each hour's counts and fills the hours without outcomes with zeros", () => {
    const now = Date.parse("2026-03-01T12:30:00Z");
    const hours = fillHours(
      [
        { hour: "2026-03-01T11:00:00.000Z", success: 4, failure: 1, failedAttempts: 6 },
        { hour: "2026-03-01T12:00:00.000Z", success: 2, failure: 1, failedAttempts: 1 },
        { hour: "2026-02-27T12:00:00.000Z", success: 9, failure: 9, failedAttempts: 9 },
      ],
      now,
    );
    expect(hours).toHaveLength(24);
    expect(hours.at(-2)).toEqual({ hour: "2026-03-01T11:00:00.000Z", success: 4, failure: 1, failedAttempts: 6 });
    expect(hours.at(-1)).toEqual({ hour: "2026-03-01T12:00:00.000Z", success: 2, failure: 1, failedAttempts: 1 });
    expect(hours[0]).toEqual({ hour: "2026-02-28T13:00:00.000Z", success: 0, failure: 0, failedAttempts: 0 });
    expect(hours.reduce((sum, h) => sum + h.success, 0)).toBe(6);
  });

  it("shows an unreported count as a dash, not as zero", () => {
    expect(count(undefined)).toBe("—");
    expect(count(null)).toBe("—");
    expect(count(0)).toBe("0");
    expect(count(12_345)).toBe("12,345");
  });
});
