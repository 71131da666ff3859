import { type Receiver, startReceiver } from "@ib/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The server side's typed client against a real HTTP server on 127.0.0.1 standing in for the engine:
// what it sends (the token, the path), and how it reads answers (the data, the error envelope, no engine).
let engine: Receiver;
let mod: typeof import("../lib/engine");

const ME = { tokenId: "tok_1", name: "ops", role: "viewer", permissions: ["connectors.read"] };

beforeAll(async () => {
  engine = await startReceiver((req, _n, res) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.headers.authorization === "Bearer good") return json(200, ME);
    if (req.headers.authorization === "Bearer broken") return res.writeHead(502).end("<html>bad gateway</html>");
    json(401, { error: { code: "UNAUTHORIZED", message: "Unknown token", requestId: "req_abc", details: { n: 1 } } });
  });
  process.env.ENGINE_URL = engine.url;
  mod = await import("../lib/engine");
});

afterAll(() => engine?.close());

describe("the admin server's engine client", () => {
  it("asks the engine who a token is, sending it as a bearer token", async () => {
    expect(await mod.engine.me("good")).toEqual(ME);
    const request = engine.received.at(-1)!;
    expect(request).toMatchObject({ method: "GET", url: "/admin/integration-builder/me" });
    expect(request.headers.authorization).toBe("Bearer good");
  });

  it("throws the engine's error envelope as an ApiError", async () => {
    const error = await mod.engine.me("revoked").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(mod.ApiError);
    expect(error).toMatchObject({
      status: 401,
      code: "UNAUTHORIZED",
      message: "Unknown token",
      requestId: "req_abc",
      details: { n: 1 },
    });
  });

  it("reads an answer without an envelope as a plain HTTP error", async () => {
    const error = await mod.engine.me("broken").catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: "HTTP_ERROR", message: "Request failed (502)" });
  });

  it("forwards the proxy's requests as they are", async () => {
    const res = await mod.engineFetch("good", "PUT", "/admin/integration-builder/connectors?x=1", {
      body: '{"name":"a"}',
      contentType: "application/json",
    });
    expect(res.status).toBe(200);
    expect(engine.received.at(-1)).toMatchObject({
      method: "PUT",
      url: "/admin/integration-builder/connectors?x=1",
      body: '{"name":"a"}',
    });
  });

  it("answers 503 UNAVAILABLE, naming the engine's address, when the engine is down", async () => {
    await engine.close();
    const error = await mod.engine.me("good").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(mod.ApiError);
    expect(error).toMatchObject({ status: 503, code: "UNAVAILABLE" });
    expect((error as Error).message).toContain(engine.url);
    const res = await mod.engineFetch("good", "GET", "/admin/integration-builder/me");
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe("UNAVAILABLE");
  });
});
