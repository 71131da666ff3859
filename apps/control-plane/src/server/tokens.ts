import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Constant-time comparison of a presented token with the expected one. Both are hashed first so
 * the comparison takes the same time whatever their lengths.
 */
export function tokenMatches(presented: string | null | undefined, expected: string | undefined): boolean {
  if (!presented || !expected) return false;
  const a = createHash("sha256").update(presented).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
