import { ConnectorInputSchema } from "@ib/core/connector-schema";
import { getPreset, instantiatePreset, PresetError, type PresetOverrides } from "@ib/providers/presets";
import { type ServiceContext, withTransaction } from "../../context.ts";
import { Invalid, NotFound } from "../../lib/domain-errors.ts";
import { upsertConnector } from "../connectors/upsert-connector.ts";
import { setConnectorSecret } from "../secrets/set-connector-secret.ts";

export interface CreateFromPresetInput {
  presetId: string;
  name?: string;
  secrets: Record<string, string>;
  parameters?: Record<string, string>;
  overrides?: PresetOverrides;
}

/**
 * One call from a preset to a working connector: fill in its parameters, apply overrides, validate the
 * result with the connector schema, create it and store every secret it needs, in ONE transaction (a
 * bad secret leaves no half-made connector). Reuses the connector and secret verbs, so auditing,
 * encryption and secret_audit are exactly theirs.
 */
export async function createConnectorFromPreset({ ctx, input }: { ctx: ServiceContext; input: CreateFromPresetInput }) {
  const preset = getPreset(input.presetId);
  if (!preset) throw new NotFound(`No preset ${input.presetId}`);

  const required = preset.secrets.map((s) => s.name);
  const missing = required.filter((n) => !input.secrets[n]);
  if (missing.length) {
    throw new Invalid(`Preset ${preset.id} needs the secret(s) ${missing.join(", ")}`, {
      missing,
    });
  }
  const unknown = Object.keys(input.secrets).filter((n) => !required.includes(n));
  if (unknown.length) {
    throw new Invalid(
      `Preset ${preset.id} does not use the secret(s) ${unknown.join(", ")} (it takes ${required.join(", ") || "none"})`,
    );
  }

  let candidate: ReturnType<typeof instantiatePreset>;
  try {
    candidate = instantiatePreset(preset, {
      parameters: input.parameters,
      overrides: { ...input.overrides, ...(input.name ? { name: input.name } : {}) },
    });
  } catch (error) {
    if (error instanceof PresetError) throw new Invalid(error.message);
    throw error;
  }
  const parsed = ConnectorInputSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Invalid(
      `The connector from preset ${preset.id} is not valid: ${issue?.path.join(".") || "connector"}: ${issue?.message}`,
      { issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) },
    );
  }

  return withTransaction(ctx, async (tx) => {
    const { connector } = await upsertConnector({ ctx: tx, input: parsed.data });
    const secrets = [];
    for (const name of required) {
      const value = input.secrets[name] as string;
      secrets.push(await setConnectorSecret({ ctx: tx, input: { connectorId: connector.id, name, value } }));
    }
    return {
      connector: {
        ...connector,
        secrets: secrets.map((s) => ({ name: s.name, createdAt: s.updatedAt, rotatedAt: null })),
      },
      preset: preset.id,
    };
  });
}
