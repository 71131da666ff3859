import { describe, expect, it } from "vitest";
import { AUDIT_GENESIS_HASH, type AuditLinkInput, auditHash, findChainBreak } from "./audit-chain.ts";

function chain(n: number) {
  const rows: (AuditLinkInput & { hash: string })[] = [];
  let prevHash = AUDIT_GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const row = {
      seq,
      at: new Date(1_700_000_000_000 + seq),
      actorId: "tok_1",
      actorRole: "admin",
      action: "x.y",
      target: `t${seq}`,
      details: { seq },
      requestId: null,
      prevHash,
    };
    const hash = auditHash(row);
    rows.push({ ...row, hash });
    prevHash = hash;
  }
  return rows;
}

describe("audit hash chain", () => {
  it("accepts an intact chain", () => {
    expect(findChainBreak(chain(10))).toBeNull();
  });

  it("finds a changed row, a removed row and a re-linked forgery", () => {
    const changed = chain(5);
    (changed[2] as AuditLinkInput).details = { seq: 99 };
    expect(findChainBreak(changed)).toEqual({ seq: 3, reason: "hash-mismatch" });

    const removed = chain(5);
    removed.splice(1, 1);
    expect(findChainBreak(removed)).toEqual({ seq: 3, reason: "sequence-gap" });

    const relinked = chain(5);
    const forged = { ...(relinked[1] as AuditLinkInput & { hash: string }), action: "forged" };
    forged.hash = auditHash(forged);
    relinked[1] = forged;
    expect(findChainBreak(relinked)).toEqual({ seq: 3, reason: "prev-hash-mismatch" });
  });

  it("does not depend on the key order of details", () => {
    const base = chain(1)[0] as AuditLinkInput;
    expect(auditHash({ ...base, details: { a: 1, b: 2 } })).toBe(auditHash({ ...base, details: { b: 2, a: 1 } }));
  });
});
