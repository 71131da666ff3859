import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export type Respond = (req: ReceivedRequest, n: number, res: ServerResponse) => unknown;

/**
 * A real HTTP server on 127.0.0.1 standing in for a destination. Every request is recorded (body read
 * in full) before `respond` decides its answer (default 200 `{"ok":true}`); `n` counts from 1.
 */
export async function startReceiver(
  respond: Respond = (_r, _n, res) => {
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  },
  { port = 0 }: { port?: number } = {},
) {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: ReceivedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      };
      received.push(r);
      Promise.resolve(respond(r, received.length, res)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
