/** Every permission the engine checks. Routes name one; roles grant a set. */
export const PERMISSIONS = [
  "connectors.read",
  "connectors.write",
  "secrets.write",
  "deliveries.read",
  "deliveries.retry",
  "events.read",
  "events.ingest",
  "catalog.write",
  "metrics.read",
  "audit.read",
  "tokens.manage",
  "sources.read",
  "sources.write",
  "registry.read",
  "registry.write",
  "integrations.webhooks.raw.read",
  "control-plane.report",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ["admin", "viewer", "ingest", "support", "finance"] as const;
export type Role = (typeof ROLES)[number];

const READ: readonly Permission[] = PERMISSIONS.filter(
  (p) => p.endsWith(".read") && p !== "integrations.webhooks.raw.read",
);

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  viewer: READ,
  ingest: ["events.ingest"],
  support: [...READ, "integrations.webhooks.raw.read"],
  finance: [...READ, "integrations.webhooks.raw.read"],
};

export function can(role: Role | "system", permission: Permission): boolean {
  if (role === "system") return true;
  return ROLE_PERMISSIONS[role]?.includes(permission) ?? false;
}
