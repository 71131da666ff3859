export function sourceHash(): string;
export function isBuildFresh(): boolean;
export function ensureAdminBuilt(options?: { force?: boolean; log?: (message: string) => void }): boolean;
