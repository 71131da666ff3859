// What a click in the sample tree fills in. Nothing active: it adds a target field. A row's value, a
// "for each" row's list or one of its item fields being edited: it sets (or inserts into) that.
import type { Inserter } from "./value-editors";

export type Target =
  | { rowId: string; part: "value"; insert?: Inserter }
  | { rowId: string; part: "source" }
  | { rowId: string; part: "item"; itemId: string; insert?: Inserter };

export type SetTarget = (target: Target | null) => void;

export const isTarget = (active: Target | null, rowId: string, part: Target["part"], itemId?: string) =>
  active !== null &&
  active.rowId === rowId &&
  active.part === part &&
  (part !== "item" || (active.part === "item" && active.itemId === itemId));
