import { Evaluated, RequestPlan } from "./expressions/plan.ts";
import { asMappingError, type EventEnvelope, MappingError, type MappingLimits, MappingRenderer } from "./mapping.ts";
import { redactSecretValues } from "./render-request.ts";

/**
 * The broker twin of `renderRequest` (DESIGN §13): what a connector publishes for an event. The broker URL
 * (secrets percent-encoded into it), the address templates (routing key, subject) and the header values
 * are templates; the body is the rendered mapping as JSON, or the event envelope without a mapping.
 * `{% … %}` expressions work wherever they work for HTTP: they are evaluated first through the same plan.
 */

export interface MessageSpec {
  /** The broker URL or server list template (credentials come from `<<secret.x>>`). */
  url: string;
  /** Address templates by name, e.g. `{ routingKey }` or `{ subject }`. */
  address: Record<string, string>;
  headers?: Record<string, string>;
}

export interface RenderedMessage {
  url: string;
  address: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  contentType: "application/json";
}

export interface RenderMessageResult {
  /** Carries real secret values: publish it, never store or show it. */
  message: RenderedMessage;
  /** The same message with every secret value masked: safe to store and show. */
  redacted: RenderedMessage;
  warnings: string[];
  missingSecrets: string[];
}

// Header values must not break a NATS header block; AMQP has no such limit, but one rule for both is simpler.
const BAD_HEADER_VALUE = /[\r\n\0]/;

/**
 * Throws {@link MappingError}: a missing secret (naming it), an expression that fails, a header with a line
 * break, limits exceeded.
 */
export async function renderMessage(input: {
  spec: MessageSpec;
  mapping: unknown;
  event: EventEnvelope;
  secrets: Record<string, string>;
  missingSecret?: "error" | "warn";
  limits?: Partial<MappingLimits>;
}): Promise<RenderMessageResult> {
  const { spec, event, secrets } = input;
  const missingSecret = input.missingSecret ?? "error";
  // The address templates ride in the plan's `query` slot: it evaluates every string map the same way.
  const planned = {
    destination: { url: spec.url, headers: spec.headers, query: spec.address },
    mapping: input.mapping,
  };
  const evaluated = await RequestPlan.compile(planned).evaluate(planned, event, { secrets, missingSecret });
  const { destination, mapping } = evaluated.spec;
  const renderer = new MappingRenderer({ event, secrets, missingSecret, limits: input.limits });
  for (const warning of evaluated.warnings) renderer.warn(warning);
  for (const name of evaluated.missingSecrets) renderer.missingSecrets.add(name);
  const scrub = (text: string) => redactSecretValues(text, secrets);
  try {
    const url = renderer.renderString(templateOf(destination.url), encodeURIComponent);
    const address: Record<string, string> = {};
    const redactedAddress: Record<string, string> = {};
    for (const [name, template] of Object.entries(destination.query ?? {})) {
      const value = renderer.renderString(templateOf(template));
      address[name] = value.value;
      redactedAddress[name] = scrub(value.redacted);
    }
    const headers: Record<string, string> = {};
    const redactedHeaders: Record<string, string> = {};
    for (const [name, template] of Object.entries(destination.headers ?? {})) {
      const value = renderer.renderString(templateOf(template));
      if (BAD_HEADER_VALUE.test(value.value)) {
        throw new MappingError("INVALID_HEADER", `Header ${name} would contain a line break or NUL character`);
      }
      headers[name] = value.value;
      redactedHeaders[name] = scrub(value.redacted);
    }
    let body: { value: string; redacted: string };
    if (mapping !== undefined && mapping !== null) {
      const rendered = renderer.render(mapping);
      body = { value: JSON.stringify(rendered.value ?? null), redacted: JSON.stringify(rendered.redacted ?? null) };
    } else {
      const envelope = JSON.stringify({
        id: event.id,
        name: event.name,
        source: event.source,
        time: event.time,
        payload: event.payload,
      });
      body = { value: envelope, redacted: envelope };
    }
    const contentType = "application/json" as const;
    return {
      message: { url: url.value, address, headers, body: body.value, contentType },
      redacted: {
        url: scrub(url.redacted),
        address: redactedAddress,
        headers: redactedHeaders,
        body: scrub(body.redacted),
        contentType,
      },
      warnings: renderer.allWarnings(),
      missingSecrets: [...renderer.missingSecrets].sort(),
    };
  } catch (error) {
    throw asMappingError(error);
  }
}

/** A value after expressions: a template string, or an expression's value. */
function templateOf(value: unknown): string | Evaluated {
  return value instanceof Evaluated ? value : String(value ?? "");
}
