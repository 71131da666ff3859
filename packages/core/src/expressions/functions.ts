import { createHash, createHmac } from "node:crypto";

/**
 * The functions we add to JSONata (DESIGN §10): `$formatDate`, `$default`, `$sha256`, `$hmacSha256`.
 * (`$secret` is bound per evaluation in `compile.ts`: it reads that evaluation's secrets.)
 *
 * Conventions follow JSONata's own: an undefined (missing) input gives an undefined result, so a missing
 * field stays missing instead of failing; a wrong kind of input is an error naming the function.
 */

/** An error as JSONata reports them (`code`, `message`; it adds the `position`). */
export class FunctionError extends Error {
  readonly code = "IB_FUNCTION";
}

interface BuiltinFunction {
  implementation: (...args: unknown[]) => unknown;
}

/** What a JSONata function is called with as `this`: we use its environment to reach `$fromMillis`. */
interface Focus {
  environment: { lookup(name: string): unknown };
}

const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const OFFSET_RE = /^([+-])(\d{2}):?(\d{2})$/;
const MAX_ZONES = 200;

/**
 * The extra functions with their state: time-zone formatters are costly to build (~0.1 ms) and reused;
 * and the clock the time budgets of all its expressions share.
 * One runtime per owner (the engine's compiled-connector cache), not per module.
 */
export class ExpressionRuntime {
  private readonly zones = new Map<string, Intl.DateTimeFormat>();
  /** When the last budget hook of any expression of this runtime ran (see the time budget in compile.ts). */
  readonly clock = { at: 0 };

  /** `$formatDate(value, picture?, timezone?)`: ISO 8601 text or epoch milliseconds → text. */
  formatDate(focus: Focus, value: unknown, picture?: unknown, timezone?: unknown): string | undefined {
    if (value === undefined || value === null) return undefined;
    const millis = toMillis(value);
    if (picture !== undefined && picture !== null && typeof picture !== "string") {
      throw new FunctionError("$formatDate: the picture must be a string such as '[Y0001]-[M01]-[D01]'");
    }
    if (timezone !== undefined && timezone !== null && typeof timezone !== "string") {
      throw new FunctionError("$formatDate: the time zone must be a string such as 'America/Sao_Paulo' or '+0100'");
    }
    const offset = timezone ? this.offset(timezone, millis) : undefined;
    const fromMillis = focus.environment.lookup("fromMillis") as BuiltinFunction | undefined;
    if (!fromMillis) throw new FunctionError("$formatDate: $fromMillis is not available");
    return fromMillis.implementation(millis, picture ?? undefined, offset) as string;
  }

  /** `±HHMM` for JSONata: an IANA zone's offset at that instant (daylight saving included), or a given offset. */
  offset(timezone: string, millis: number): string {
    if (timezone === "Z" || timezone === "UTC") return "+0000";
    const direct = OFFSET_RE.exec(timezone);
    if (direct) return `${direct[1]}${direct[2]}${direct[3]}`;
    let format = this.zones.get(timezone);
    if (!format) {
      try {
        format = new Intl.DateTimeFormat("en-US", { timeZone: timezone, timeZoneName: "longOffset" });
      } catch {
        throw new FunctionError(`$formatDate: unknown time zone ${JSON.stringify(timezone)} (use an IANA name)`);
      }
      if (this.zones.size >= MAX_ZONES) this.zones.clear();
      this.zones.set(timezone, format);
    }
    const name = format.formatToParts(new Date(millis)).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
    const match = /^GMT([+-])(\d{1,2}):?(\d{2})?$/.exec(name);
    if (!match) return "+0000";
    return `${match[1]}${(match[2] ?? "0").padStart(2, "0")}${match[3] ?? "00"}`;
  }
}

function toMillis(value: unknown): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new FunctionError("$formatDate: the date must be a finite number");
    return value;
  }
  if (typeof value === "string") {
    const millis = ISO_DATE_RE.test(value) ? Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value) : NaN;
    if (Number.isNaN(millis)) {
      throw new FunctionError(
        `$formatDate: ${JSON.stringify(value.slice(0, 40))} is not an ISO 8601 date (or epoch milliseconds)`,
      );
    }
    return millis;
  }
  throw new FunctionError("$formatDate: the date must be ISO 8601 text or epoch milliseconds");
}

/** `$default(value, fallback)`: the fallback when the value is missing, null or empty text. */
export function defaultValue(value: unknown, fallback: unknown): unknown {
  return value === undefined || value === null || value === "" ? fallback : value;
}

/** `$sha256(text)`: the SHA-256 of the UTF-8 text, lowercase hex. */
export function sha256(text: unknown): string | undefined {
  if (text === undefined) return undefined;
  if (typeof text !== "string") throw new FunctionError("$sha256: the argument must be a string (use $string)");
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** `$hmacSha256(text, key)`: HMAC-SHA256 of the UTF-8 text under the UTF-8 key, lowercase hex. */
export function hmacSha256(text: unknown, key: unknown): string | undefined {
  if (text === undefined) return undefined;
  if (typeof text !== "string" || typeof key !== "string") {
    throw new FunctionError("$hmacSha256: the text and the key must be strings (use $string)");
  }
  return createHmac("sha256", key).update(text, "utf8").digest("hex");
}
