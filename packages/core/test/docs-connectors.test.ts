import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFilter } from "../src/filters/index.ts";
import type { EventEnvelope } from "../src/mapping.ts";
import { type DestinationSpec, renderRequest } from "../src/render-request.ts";

/**
 * Every worked example of docs/connectors.md's expressions and filters, run through the real renderer and
 * filter compiler: a doc that says one thing while the engine does another fails here. An example is an
 * HTML comment naming it, then a ```json block (the input), then a ```json block (what the engine gives).
 */

const DOC = readFileSync(join(import.meta.dirname, "../../../docs/connectors.md"), "utf8");
const SECRETS = { user: "ada", password: "s3cret-pass", hmacKey: "hmac-key-123" };

function examples(kind: string): [name: string, input: unknown, expected: unknown][] {
  const re = new RegExp(
    `<!-- ${kind}: (.+?) -->\\s*\`\`\`json\\n([\\s\\S]*?)\`\`\`[\\s\\S]*?\`\`\`json\\n([\\s\\S]*?)\`\`\``,
    "g",
  );
  return [...DOC.matchAll(re)].map((m) => [m[1] as string, JSON.parse(m[2] as string), JSON.parse(m[3] as string)]);
}

const event = JSON.parse(/<!-- example-event -->\s*```json\n([\s\S]*?)```/.exec(DOC)?.[1] ?? "null") as EventEnvelope;

describe("docs/connectors.md", () => {
  it("has the example event and an example for every common task", () => {
    expect(event?.payload).toBeTruthy();
    expect(examples("example").map(([name]) => name)).toEqual([
      "format a date",
      "cents and decimals",
      "default a value",
      "join names",
      "map line items",
      "choose by a condition",
      "look up in a table",
    ]);
    expect(examples("example-request")).toHaveLength(1);
    expect(examples("filter-example").length).toBeGreaterThanOrEqual(4);
  });

  it.each(examples("example"))("mapping example %s renders as documented", async (_name, mapping, expected) => {
    const out = await renderRequest({
      destination: { url: "https://api.example.com/orders", method: "POST" },
      mapping,
      event,
      secrets: {},
    });
    expect(out.warnings).toEqual([]);
    expect(JSON.parse(out.request.body ?? "null")).toEqual(expected);
  });

  it.each(examples("example-request"))("request example %s previews as documented", async (_name, input, expected) => {
    const { destination, mapping } = input as { destination: DestinationSpec; mapping: unknown };
    const out = await renderRequest({ destination, mapping, event, secrets: SECRETS });
    expect(out.warnings).toEqual([]);
    expect(out.redacted).toEqual(expected);
    // The real values go to the destination; the shown copy never carries them.
    expect(out.request.headers.Authorization).toBe(`Basic ${Buffer.from("ada:s3cret-pass").toString("base64")}`);
    for (const value of [
      ...Object.values(SECRETS),
      out.request.headers.Authorization,
      out.request.headers["X-Signature"],
    ])
      expect(JSON.stringify(out.redacted)).not.toContain(value);
  });

  it.each(examples("filter-example"))("filter example %s decides as documented", async (_name, filter, expected) => {
    expect(await compileFilter(filter).test(event)).toEqual(expected);
  });
});
