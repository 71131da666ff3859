import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");

describe("the admin's generated engine client", () => {
  it("matches the engine's routes as they are now (else: run npm run gen:client)", () => {
    // The generator in check mode: it builds the engine's OpenAPI document from the current source and
    // compares what it would write with the committed files, so an engine route added, removed or
    // reshaped without regenerating fails here (and so in CI).
    const result = spawnSync(join(root, "node_modules/.bin/tsx"), [join(root, "scripts/gen-client.mjs"), "--check"], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status, `${result.stderr}${result.error ?? ""}` || "run npm run gen:client").toBe(0);
  });
});
