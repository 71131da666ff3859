import { describe, expect, it } from "vitest";
import { failedAttemptsOf, fillHours } from "../components/app/hourly-chart";
import { count } from "../lib/format";

describe("24 h figures", () => {
  it("keeps each hour's failed attempts, and falls back to the ended-failed count from an older engine", () => {
    const now = Date.parse("2026-03-01T12:30:00Z");
    const hours = fillHours(
      [
        { hour: "2026-03-01T11:00:00.000Z", success: 4, failure: 1, failedAttempts: 6 },
        { hour: "2026-03-01T12:00:00.000Z", success: 2, failure: 1 },
      ],
      now,
    );
    expect(hours).toHaveLength(24);
    expect(hours.at(-2)).toEqual({ hour: "2026-03-01T11:00:00.000Z", success: 4, failure: 1, failedAttempts: 6 });
    expect(failedAttemptsOf(hours.at(-2)!)).toBe(6);
    expect(failedAttemptsOf(hours.at(-1)!)).toBe(1);
    expect(failedAttemptsOf(hours[0]!)).toBe(0);
  });

  it("shows an unreported count as a dash, not as zero", () => {
    expect(count(undefined)).toBe("—");
    expect(count(null)).toBe("—");
    expect(count(0)).toBe("0");
    expect(count(12_345)).toBe("12,345");
  });
});
