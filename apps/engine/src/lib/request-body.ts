import type { IncomingMessage } from "node:http";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "./errors.ts";

/** The Node request behind a Hono context when the engine serves HTTP itself (`@hono/node-server`). */
export function nodeRequest(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  return incoming && typeof (incoming as IncomingMessage).on === "function" ? (incoming as IncomingMessage) : undefined;
}

/** A request header, from Node's parsed headers when there are (no Web `Headers` object is built for it). */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = nodeRequest(c);
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/**
 * The request body as text, at most `maxBytes` (413 beyond, also for a chunked body without a length). On
 * the Node server it is read straight from the socket's stream: asking Hono for it builds a Web `Request`
 * with a Web stream around the same bytes, which cost more than the rest of a single-event ingest.
 */
export async function requestText(c: Context, maxBytes: number): Promise<string> {
  const incoming = nodeRequest(c);
  // A chunked body went through Hono's streaming body limit (see `limitBody`): read it the way it wrapped it.
  if (!incoming || !hasDeclaredLength(c) || incoming.readableEnded || incoming.readableDidRead) {
    const text = await c.req.text();
    if (Buffer.byteLength(text) > maxBytes) throw tooLarge(maxBytes);
    return text;
  }
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        // Stop reading; the rest is discarded so the connection can answer the 413.
        incoming.resume();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8"));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new ApiError("VALIDATION_FAILED", `Could not read the request body: ${error.message}`));
    };
    const cleanup = () => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onError);
    };
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onError);
  });
}

/** A `Content-Length` and no `Transfer-Encoding`: the size is known before a byte of the body is read. */
export function hasDeclaredLength(c: Context): boolean {
  return requestHeader(c, "content-length") !== undefined && requestHeader(c, "transfer-encoding") === undefined;
}

/**
 * The body limit as middleware: a declared length is checked from the header alone, without building a Web
 * request around the body (Hono's `bodyLimit` does, for every request); a chunked body is counted as it
 * streams, by `bodyLimit` itself.
 */
export function limitBody(maxSize: (c: Context) => number): MiddlewareHandler {
  return async (c, next) => {
    const max = maxSize(c);
    if (hasDeclaredLength(c)) {
      const declared = Number.parseInt(requestHeader(c, "content-length") ?? "0", 10);
      if (declared > max) throw tooLarge(max);
      return next();
    }
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    return bodyLimit({
      maxSize: max,
      onError: () => {
        throw tooLarge(max);
      },
    })(c, next);
  };
}

function tooLarge(maxBytes: number) {
  return new ApiError("PAYLOAD_TOO_LARGE", `Request body is larger than ${maxBytes} bytes`);
}
