import { decryptSecret } from "@ib/core";
import { connectorSecrets } from "@ib/db";
import { eq } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { connectorSecretAad } from "./provider.ts";

/** A stored secret that does not decrypt: a different master key, or a tampered or moved row. */
export class SecretDecryptError extends Error {
  readonly code = "SECRET_UNREADABLE";
  constructor(
    readonly connectorId: string,
    readonly secretName: string,
  ) {
    super(
      `Secret "${secretName}" of connector ${connectorId} cannot be decrypted: was it stored under another IB_MASTER_KEY?`,
    );
    this.name = "SecretDecryptError";
  }
}

/**
 * Every secret of a connector, decrypted, by name. For the worker and for preview's masking only: the
 * values must never reach a response, a log line or a stored request. Reads through `ctx.db` (an open
 * transaction when the caller has one). Throws SecretDecryptError.
 */
export async function loadConnectorSecrets({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { connectorId: string };
}): Promise<Record<string, string>> {
  const { connectorId } = input;
  const rows = await ctx.db
    .select({ name: connectorSecrets.name, ciphertext: connectorSecrets.ciphertext })
    .from(connectorSecrets)
    .where(eq(connectorSecrets.connectorId, connectorId));
  const secrets: Record<string, string> = {};
  for (const row of rows) {
    try {
      secrets[row.name] = decryptSecret(ctx.app.masterKey, row.ciphertext, connectorSecretAad(connectorId, row.name));
    } catch {
      throw new SecretDecryptError(connectorId, row.name);
    }
  }
  return secrets;
}
