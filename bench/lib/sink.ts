import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { nowMs } from "./stats.ts";

/**
 * The destination both contenders deliver to: node:http on 127.0.0.1 answering 200 at once and
 * recording when each event id arrived (first arrival; repeats are counted as duplicates).
 */
export interface Sink {
  url: string;
  arrivals: Map<string, number>;
  received: number;
  duplicates: number;
  lastArrival: number;
  reset(): void;
  close(): Promise<void>;
}

export async function startSink(): Promise<Sink> {
  const sink: Sink = {
    url: "",
    arrivals: new Map(),
    received: 0,
    duplicates: 0,
    lastArrival: 0,
    reset() {
      sink.arrivals = new Map();
      sink.received = 0;
      sink.duplicates = 0;
      sink.lastArrival = 0;
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
      sink.received++;
      if (id) {
        if (sink.arrivals.has(id)) sink.duplicates++;
        else sink.arrivals.set(id, at);
      }
      sink.lastArrival = at;
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
