/** The logical provider under which a connector's secrets are audited (issue 3). */
export function connectorSecretProvider(connectorId: string): string {
  return `INTEGRATION_BUILDER_CONNECTOR:${connectorId}`;
}

/** Binds a ciphertext to its connector and name: a row copied elsewhere or renamed does not decrypt. */
export function connectorSecretAad(connectorId: string, name: string): string {
  return `${connectorId}:${name}`;
}
