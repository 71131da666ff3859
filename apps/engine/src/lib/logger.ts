import pino from "pino";

export type Logger = pino.Logger;

/** A logged error's message (and any other text field) is cut here; the rest is only counted. */
export const MAX_ERROR_TEXT = 2048;
const MAX_STACK_FRAMES = 20;
const MAX_CAUSE_DEPTH = 3;
/**
 * Fields database drivers put on their errors that carry the statement and every bound value: a failed
 * 22,500-row insert made a 15 MB log line (and bound values are user data). Never logged.
 */
const DROPPED_FIELDS = new Set(["query", "params", "parameters", "args", "types", "values", "queryOptions"]);

/** JSON lines on stdout. Anything that looks like a credential is redacted before it is written. */
export function createLogger(
  level: string,
  bindings: Record<string, unknown> = {},
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: "ib-engine", ...bindings },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: serializeError, error: serializeError },
    redact: {
      paths: [
        "authorization",
        "*.authorization",
        "headers.authorization",
        "*.headers.authorization",
        "token",
        "*.token",
        "value",
        "*.value",
        "secret",
        "*.secret",
        "password",
        "*.password",
      ],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * An error as a small JSON object: type, capped message, a stack of at most MAX_STACK_FRAMES frames,
 * the driver's short fields (code, detail, constraint...) and the
 * cause chain; the statement and its parameters are dropped. Anything that is not an Error is logged
 * as is, except a long string, which is capped.
 */
export function serializeError(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return cap(value);
  if (!(value instanceof Error)) return value;
  const type = value.constructor?.name || value.name || "Error";
  const message = cap(withoutParams(String(value.message ?? "")));
  const out: Record<string, unknown> = { type, message };
  if (typeof value.stack === "string") {
    const frames = value.stack.split("\n").filter((line) => /^\s+at /.test(line));
    const shown = frames.slice(0, MAX_STACK_FRAMES);
    if (frames.length > shown.length) shown.push(`    ... ${frames.length - shown.length} more frames`);
    // The message is written once, above; the stack's header only names it.
    out.stack = [`${value.name}: ${cap(message.split("\n", 1)[0] ?? "", 200)}`, ...shown].join("\n");
  }
  for (const [key, field] of Object.entries(value)) {
    if (DROPPED_FIELDS.has(key) || key in out || key === "cause" || key === "errors") continue;
    if (typeof field === "string") out[key] = cap(field);
    else if (typeof field === "number" || typeof field === "boolean") out[key] = field;
    else if (field !== null && typeof field === "object" && !(field instanceof Error)) {
      // Small structured details (an ApiError's) are kept; big ones are noted, not written.
      const json = safeJson(field);
      out[key] = json !== undefined && json.length <= MAX_ERROR_TEXT ? field : `[${json?.length ?? "?"} characters]`;
    }
  }
  if (depth < MAX_CAUSE_DEPTH) {
    if (value.cause !== undefined) out.cause = serializeError(value.cause, depth + 1);
    const errors = (value as { errors?: unknown }).errors;
    if (Array.isArray(errors)) out.errors = errors.slice(0, 5).map((e) => serializeError(e, depth + 1));
  }
  return out;
}

/** drizzle writes "Failed query: <sql>\nparams: <every value>" into the message itself. */
function withoutParams(message: string): string {
  const at = message.indexOf("\nparams: ");
  return at === -1 ? message : `${message.slice(0, at)}\n(parameters not logged)`;
}

function cap(text: string, max = MAX_ERROR_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length - max} more characters)`;
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
