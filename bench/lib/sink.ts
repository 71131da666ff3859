import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { nowMs } from "./stats.ts";

/**
 * The destination every contender delivers to: node:http on 127.0.0.1 answering 200 at once and
 * recording, for the whole bench run, when each event id (the body's `eventId`) first arrived and how
 * many times it arrived. Ids are unique across the run (each phase of each contender has its own
 * prefix), so a late repeat is still counted against the phase it belongs to.
 */
export interface Sink {
  url: string;
  /** First arrival of each id, ms on `nowMs()`'s clock. */
  arrivals: Map<string, number>;
  /** How many requests carried each id. */
  counts: Map<string, number>;
  /** Requests whose body had no `eventId`. */
  unidentified: number;
  /** Follow a set of ids: how many have arrived and when the last of them did. */
  track(ids: readonly string[]): Tracker;
  close(): Promise<void>;
}

export interface Tracker {
  ids: readonly string[];
  arrived: number;
  /** First arrival of the id that arrived last (0 until one has). */
  lastArrival: number;
}

/** The ids `closedLoop`/`openLoop`/`bulkIngest` (and the baselines) give events: `${prefix}_${n}`. */
export function idsOf(prefix: string, total: number): string[] {
  return Array.from({ length: total }, (_, n) => `${prefix}_${n}`);
}

/** Of `ids`: how many never arrived, and the repeats beyond each first arrival (counted now). */
export function tally(sink: Sink, ids: readonly string[]): { missing: number; duplicates: number } {
  let missing = 0;
  let duplicates = 0;
  for (const id of ids) {
    const n = sink.counts.get(id) ?? 0;
    if (n === 0) missing++;
    else duplicates += n - 1;
  }
  return { missing, duplicates };
}

export async function startSink(): Promise<Sink> {
  const following = new Map<string, Tracker>();
  const sink: Sink = {
    url: "",
    arrivals: new Map(),
    counts: new Map(),
    unidentified: 0,
    track(ids) {
      const tracker: Tracker = { ids, arrived: 0, lastArrival: 0 };
      for (const id of ids) {
        const at = sink.arrivals.get(id);
        if (at === undefined) following.set(id, tracker);
        else {
          tracker.arrived++;
          tracker.lastArrival = Math.max(tracker.lastArrival, at);
        }
      }
      return tracker;
    },
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = nowMs();
      let id: string | undefined;
      try {
        id = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { eventId?: string }).eventId;
      } catch {
        id = undefined;
      }
      if (typeof id !== "string") sink.unidentified++;
      else {
        const n = (sink.counts.get(id) ?? 0) + 1;
        sink.counts.set(id, n);
        if (n === 1) {
          sink.arrivals.set(id, at);
          const tracker = following.get(id);
          if (tracker) {
            following.delete(id);
            tracker.arrived++;
            tracker.lastArrival = at;
          }
        }
      }
      res.writeHead(200, { "content-type": "application/json", "content-length": "11" });
      res.end('{"ok":true}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  sink.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return sink;
}
