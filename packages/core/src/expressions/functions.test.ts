import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CompiledExpression, ExpressionFailure } from "./compile.ts";
import { ExpressionRuntime } from "./functions.ts";

const runtime = new ExpressionRuntime();

async function run(expression: string, input: unknown = {}): Promise<unknown> {
  return (await new CompiledExpression(`{% ${expression} %}`, { runtime }).evaluate(input)).value;
}

async function failure(expression: string, input: unknown = {}): Promise<string> {
  try {
    await run(expression, input);
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionFailure);
    return (error as Error).message;
  }
  throw new Error("expected a failure");
}

describe("$formatDate(value, picture?, timezone?)", () => {
  it("formats ISO text and epoch milliseconds with JSONata pictures", async () => {
    expect(await run("$formatDate('2026-03-05T14:07:09.123Z', '[Y0001]-[M01]-[D01] [H01]:[m01]:[s01]')")).toBe(
      "2026-03-05 14:07:09",
    );
    expect(await run("$formatDate(1772719629123, '[D01]/[M01]/[Y0001]')")).toBe("05/03/2026");
    expect(await run("$formatDate('2026-03-05', '[FNn], [D1o] [MNn] [Y]')")).toBe("Thursday, 5th March 2026");
    expect(await run("$formatDate(0)")).toBe("1970-01-01T00:00:00.000Z");
    expect(await run("$formatDate(payload.when, '[Y]')", { payload: { when: "2026-12-31T23:59:59+02:00" } })).toBe(
      "2026",
    );
  });

  it("converts to an IANA time zone, daylight saving included", async () => {
    const picture = "'[Y0001]-[M01]-[D01]T[H01]:[m01][Z]'";
    // New York is UTC-5 in January and UTC-4 in July.
    expect(await run(`$formatDate('2026-01-15T12:00:00Z', ${picture}, 'America/New_York')`)).toBe(
      "2026-01-15T07:00-05:00",
    );
    expect(await run(`$formatDate('2026-07-15T12:00:00Z', ${picture}, 'America/New_York')`)).toBe(
      "2026-07-15T08:00-04:00",
    );
    expect(await run(`$formatDate('2026-07-15T12:00:00Z', ${picture}, 'Asia/Kolkata')`)).toBe("2026-07-15T17:30+05:30");
    expect(await run(`$formatDate('2026-07-15T12:00:00Z', ${picture}, 'America/Sao_Paulo')`)).toBe(
      "2026-07-15T09:00-03:00",
    );
    expect(await run(`$formatDate('2026-07-15T12:00:00Z', ${picture}, '+0100')`)).toBe("2026-07-15T13:00+01:00");
    expect(await run(`$formatDate('2026-07-15T12:00:00Z', ${picture}, 'UTC')`)).toBe("2026-07-15T12:00+00:00");
  });

  it("gives nothing for nothing, and a clear error for a bad date or zone", async () => {
    expect(await run("$formatDate(payload.missing, '[Y]')", { payload: {} })).toBeUndefined();
    expect(await failure("$formatDate('yesterday', '[Y]')")).toMatch(/is not an ISO 8601 date/);
    expect(await failure("$formatDate('2026-01-01', '[Y]', 'Mars/Olympus')")).toMatch(
      /unknown time zone "Mars\/Olympus"/,
    );
    expect(await failure("$formatDate(true)")).toMatch(/ISO 8601 text or epoch milliseconds/);
  });

  it("property: epoch milliseconds and their ISO text format the same", async () => {
    const compiled = new CompiledExpression(
      "{% [$formatDate(payload.ms, '[Y0001][M01][D01][H01][m01][s01][f001]'), $formatDate(payload.iso, '[Y0001][M01][D01][H01][m01][s01][f001]')] %}",
      { runtime },
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 4_102_444_800_000 }), async (ms) => {
        const { value } = await compiled.evaluate({ payload: { ms, iso: new Date(ms).toISOString() } });
        const [a, b] = value as [string, string];
        expect(a).toBe(b);
        expect(a).toBe(new Date(ms).toISOString().replace(/\D/g, ""));
      }),
      { numRuns: 200 },
    );
  });
});

describe("$default(value, fallback)", () => {
  it("uses the fallback for a missing, null or empty value only", async () => {
    const input = { payload: { phone: null, name: "", zero: 0, no: false, list: [] } };
    expect(await run("$default(payload.missing, 'n/a')", input)).toBe("n/a");
    expect(await run("$default(payload.phone, '+00 000')", input)).toBe("+00 000");
    expect(await run("$default(payload.name, 'anonymous')", input)).toBe("anonymous");
    expect(await run("$default(payload.zero, 1)", input)).toBe(0);
    expect(await run("$default(payload.no, true)", input)).toBe(false);
    expect(await run("$default('x', 'y')", input)).toBe("x");
  });
});

describe("$sha256 and $hmacSha256", () => {
  it("match the standard test vectors (lowercase hex)", async () => {
    expect(await run("$sha256('abc')")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(await run("$sha256('')")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(await run("$hmacSha256('The quick brown fox jumps over the lazy dog', 'key')")).toBe(
      "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
    );
  });

  it("give nothing for nothing and refuse non-text", async () => {
    expect(await run("$sha256(payload.missing)", { payload: {} })).toBeUndefined();
    expect(await run("$hmacSha256(payload.missing, 'k')", { payload: {} })).toBeUndefined();
    expect(await failure("$sha256(42)")).toMatch(/\$sha256: the argument must be a string/);
    expect(await failure("$hmacSha256('x', 1)")).toMatch(/\$hmacSha256: the text and the key must be strings/);
  });

  it("property: agree with node:crypto on any UTF-8 text", async () => {
    const compiled = new CompiledExpression("{% [$sha256(payload.t), $hmacSha256(payload.t, payload.k)] %}", {
      runtime,
    });
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "grapheme" }), fc.string({ minLength: 1 }), async (t, k) => {
        const { value } = await compiled.evaluate({ payload: { t, k } });
        expect(value).toEqual([
          createHash("sha256").update(t, "utf8").digest("hex"),
          createHmac("sha256", k).update(t, "utf8").digest("hex"),
        ]);
      }),
      { numRuns: 200 },
    );
  });
});
