import { randomUUID } from "node:crypto";
import type { DbHandle } from "@ib/db";

/** Between the sending process's id and the payload in a notification's text. */
const SEP = "\u001f";

export interface LocalFirstHandle extends DbHandle {
  /** This process's notifications on PostgreSQL carry this prefix: its own listeners skip their echo. */
  readonly origin: string;
  /** Tell this process's listeners only (at once, no round trip). */
  notifyHere(channel: string, payload?: string): void;
  /** The text for a `pg_notify` sent from SQL that other processes receive as `payload` and this one skips. */
  remotePayload(payload?: string): string;
  /** The handle this one wraps (a second context over the same handle wraps that, not this). */
  readonly inner: DbHandle;
}

/**
 * Notifications delivered in this process at once and to the others through PostgreSQL's NOTIFY: a worker
 * in the process that ingested an event starts without waiting for the notification's round trip, and does
 * not wake a second time when its echo comes back. PGlite is one process: its handle already works that way.
 * A notification without the prefix (another tool, an older engine) is passed on whole.
 */
export function localFirstNotifications(given: DbHandle): LocalFirstHandle {
  const handle = "inner" in given ? (given as LocalFirstHandle).inner : given;
  const origin = randomUUID();
  const local = new Map<string, Set<(payload: string) => void>>();
  const notifyHere = (channel: string, payload = "") => {
    for (const fn of local.get(channel) ?? []) queueMicrotask(() => fn(payload));
  };
  if (handle.driver !== "postgres") {
    return {
      ...handle,
      inner: handle,
      origin,
      notifyHere: (channel, payload) => void handle.notify(channel, payload),
      remotePayload: (payload = "") => payload,
    };
  }
  return {
    ...handle,
    inner: handle,
    origin,
    notifyHere,
    remotePayload: (payload = "") => `${origin}${SEP}${payload}`,
    async listen(channel, onMessage) {
      const set = local.get(channel) ?? new Set();
      local.set(channel, set);
      set.add(onMessage);
      const unlisten = await handle.listen(channel, (raw) => {
        const cut = raw.indexOf(SEP);
        if (cut < 0) return onMessage(raw);
        if (raw.slice(0, cut) !== origin) onMessage(raw.slice(cut + SEP.length));
      });
      return async () => {
        set.delete(onMessage);
        await unlisten();
      };
    },
    async notify(channel, payload = "") {
      notifyHere(channel, payload);
      await handle.notify(channel, `${origin}${SEP}${payload}`);
    },
  };
}
