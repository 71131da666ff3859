/** Logical provider of source secrets in `secret_audit`, like `INTEGRATION_BUILDER_CONNECTOR:<id>`. */
export function sourceSecretProvider(sourceId: string) {
  return `INTEGRATION_BUILDER_SOURCE:${sourceId}`;
}

/** Binds a ciphertext to its source and row, so a row copied elsewhere does not decrypt. */
export function sourceSecretAad(sourceId: string, secretId: string) {
  return `${sourceId}:${secretId}`;
}

/** How long the previous secret stays valid after a rotation unless told otherwise. */
export const DEFAULT_ROTATION_OVERLAP_SECONDS = 24 * 3600;
