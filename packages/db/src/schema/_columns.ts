import { timestamp } from "drizzle-orm/pg-core";

/** Millisecond precision so that a JS Date round-trips exactly (hash chains and cursors rely on it). */
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const createdAt = () => ts("created_at").notNull().defaultNow();
export const updatedAt = () => ts("updated_at").notNull().defaultNow();
