import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical.ts";

export const AUDIT_GENESIS_HASH = "0".repeat(64);

export interface AuditLinkInput {
  seq: number;
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
  prevHash: string;
}

/** sha-256 over the canonical form of every field of the row but the hash itself. */
export function auditHash(row: AuditLinkInput): string {
  const canonical = canonicalJson({
    seq: row.seq,
    at: row.at.toISOString(),
    actorId: row.actorId,
    actorRole: row.actorRole,
    action: row.action,
    target: row.target,
    details: row.details,
    requestId: row.requestId,
    prevHash: row.prevHash,
  });
  return createHash("sha256").update(canonical).digest("hex");
}

export type ChainBreak = { seq: number; reason: "hash-mismatch" | "prev-hash-mismatch" | "sequence-gap" };

/** Walks rows in sequence order and returns the first broken link, or null when the chain holds. */
export function findChainBreak(
  rows: Iterable<AuditLinkInput & { hash: string }>,
  previous: { seq: number; hash: string } | null = null,
): ChainBreak | null {
  let prevHash = previous?.hash ?? AUDIT_GENESIS_HASH;
  let prevSeq = previous?.seq ?? 0;
  for (const row of rows) {
    if (row.seq !== prevSeq + 1) return { seq: row.seq, reason: "sequence-gap" };
    if (row.prevHash !== prevHash) return { seq: row.seq, reason: "prev-hash-mismatch" };
    if (auditHash(row) !== row.hash) return { seq: row.seq, reason: "hash-mismatch" };
    prevHash = row.hash;
    prevSeq = row.seq;
  }
  return null;
}
