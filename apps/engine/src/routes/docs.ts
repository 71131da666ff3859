import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../context.ts";

// The API reference is rendered by Scalar's standalone bundle, served by the engine itself
// (no CDN: the engine must work on a machine with no internet). Resolved from this file (not from wherever
// the prebuilt engine's bundle sits) and read from disk on each request rather than kept: it is a few MB
// that only the rare reader of /docs needs (the browser caches it for an hour).
let scalarBundlePath: string | undefined;
function scalarBundleFile(): string {
  scalarBundlePath ??= createRequire(import.meta.url)
    .resolve("@scalar/api-reference")
    .replace(/dist[/\\]index\.js$/, "dist/browser/standalone.js");
  return scalarBundlePath;
}

// Nothing on the page may reach a third party (the engine runs on machines without internet, and the
// reader may be signed in with a token): system fonts instead of fonts.scalar.com, no "Ask AI" agent,
// no MCP generator, developer toolbar or "Open API Client" link (scalar.com services), no telemetry, and
// no proxy: "Test Request" to another origin would otherwise go through proxy.scalar.com.
const CONFIGURATION = {
  withDefaultFonts: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: "never",
  hideClientButton: true,
  telemetry: false,
  proxyUrl: "",
};
const attribute = (value: unknown) => JSON.stringify(value).replaceAll("&", "&amp;").replaceAll("'", "&#39;");

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Integration Builder — API reference</title>
  </head>
  <body>
    <script id="api-reference" data-url="/openapi.json" data-configuration='${attribute(CONFIGURATION)}'></script>
    <script src="/docs/scalar.js"></script>
  </body>
</html>`;

export function mountDocs(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An API token (`ib_…`). Roles: admin, viewer, ingest, support, finance.",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Integration Builder engine",
      version: "0.1.0",
      description:
        "Connectors turn events into HTTP calls: source event → JSON mapping → destination. " +
        "Ingest with POST /v1/events; manage connectors under /admin/integration-builder. " +
        "The event catalog (every event type and its payload schema) is an AsyncAPI 3.0 document at " +
        "[/asyncapi.json](/asyncapi.json).",
    },
  });
  app.get("/docs", (c) => c.html(PAGE));
  app.get("/docs/scalar.js", async (c) => {
    const bundle = await readFile(scalarBundleFile());
    c.header("content-type", "application/javascript; charset=utf-8");
    c.header("cache-control", "public, max-age=3600");
    return c.body(bundle);
  });
}
