import { CONNECTOR_LIMITS, isHttpUrlTemplate } from "@ib/core/connector-schema";
import { isValidSourceEventPattern } from "@ib/core/event-match";
import { signingSecretProblem } from "@ib/providers/signing-secret";
import type { Preset } from "@/lib/engine-types";

export interface PresetFormValues {
  name: string;
  sourceEvent: string;
  secrets: Record<string, string>;
  parameters: Record<string, string>;
}

/** A field's key in the form: `name`, `sourceEvent`, `secret:<name>` or `param:<name>`. */
export type FieldKey = string;

export interface PresetFormCheck {
  /** What is wrong with each field, in words for the field itself ("Required", "must start with whsec_"). */
  fields: Record<FieldKey, string>;
  /** Every problem as one sentence naming its field: why Create connector is disabled. */
  reasons: string[];
}

const TEMPLATE = /<<|>>|\{\{|\}\}/;

/**
 * The checks the engine makes when a preset becomes a connector, made as you type: the name, the source
 * event pattern, each secret (a signing secret's Standard Webhooks format) and each parameter (required
 * unless it has a default, URLs http(s), no template markup). Same rules, so a hint never promises what
 * the engine then refuses.
 */
export function checkPresetForm(preset: Preset, values: PresetFormValues): PresetFormCheck {
  const fields: Record<FieldKey, string> = {};
  const reasons: string[] = [];
  const problem = (
    key: FieldKey,
    label: string,
    field: string,
    reason = `${label}: ${field[0]?.toLowerCase()}${field.slice(1)}`,
  ) => {
    fields[key] = field;
    reasons.push(reason);
  };

  const name = values.name.trim();
  if (!name) problem("name", "Connector name", "Required", "Give the connector a name");
  else if (name.length > CONNECTOR_LIMITS.nameLength)
    problem("name", "Connector name", `At most ${CONNECTOR_LIMITS.nameLength} characters`);

  const sourceEvent = values.sourceEvent.trim();
  if (!sourceEvent) problem("sourceEvent", "Source event", "Required", "Say which events it delivers (Source event)");
  else if (!isValidSourceEventPattern(sourceEvent))
    problem(
      "sourceEvent",
      "Source event",
      "An event name (order.created), a name ending in .* (order.*) or * alone",
      "Source event must be an event name, a name ending in .* or *",
    );

  for (const p of preset.parameters) {
    const value = values.parameters[p.name] ?? "";
    const key = `param:${p.name}`;
    if (!value) {
      if (p.default === undefined) problem(key, p.label, "Required", `Fill in ${p.label}`);
    } else if (TEMPLATE.test(value)) problem(key, p.label, "Plain text only: no << >> or {{ }}");
    else if (p.format === "url" && !isHttpUrlTemplate(value))
      problem(key, p.label, "Must be an http:// or https:// URL", `${p.label} must be an http:// or https:// URL`);
  }

  for (const s of preset.secrets) {
    const value = values.secrets[s.name] ?? "";
    const key = `secret:${s.name}`;
    if (!value) problem(key, s.label, "Required", `Fill in ${s.label}`);
    else if (s.format === "whsec") {
      const wrong = signingSecretProblem(value);
      if (wrong) problem(key, s.label, `It ${wrong}`, `${s.label} ${wrong}`);
    }
  }
  return { fields, reasons };
}
