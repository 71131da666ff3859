import { Invalid } from "../../lib/domain-errors.ts";

/** Keyset cursor over (timestamp, id), opaque to clients. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const bar = text.indexOf("|");
  const at = new Date(text.slice(0, bar));
  const id = text.slice(bar + 1);
  if (bar < 0 || Number.isNaN(at.getTime()) || !id) {
    throw new Invalid("Invalid cursor: pass the nextCursor of the previous page");
  }
  return { at, id };
}
