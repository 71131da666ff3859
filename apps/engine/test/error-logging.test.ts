import { newId } from "@ib/core/ids";
import { deliveries, type NewDelivery } from "@ib/db";
import { createTestDatabase, type TestDatabase } from "@ib/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, MAX_ERROR_TEXT } from "../src/lib/logger.ts";
import { testDrivers } from "./harness.ts";

/** A logger writing into memory, one string per line. */
function capturingLogger() {
  const lines: string[] = [];
  const logger = createLogger("info", { test: true }, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

// A failed statement used to be logged with its text and every bound value (drizzle's error carries
// both, in fields and in its message): one failed 22,500-row insert wrote a 15 MB log line.
describe.each(testDrivers())("error logging on %s", (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
  });
  afterAll(async () => database?.destroy());

  it("logs a failed huge statement in a few KB: no statement, no parameters, the driver's reason kept", async () => {
    const rows: NewDelivery[] = Array.from({ length: 22_500 }, (_, i) => ({
      id: newId("delivery"),
      connectorId: `con_log_${i}`,
      eventId: `evt_log_${i}`,
    }));
    const error = await database.handle.db
      .insert(deliveries)
      .values(rows)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Error);
    // What the old serializer wrote: the whole statement and every value.
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message }).length).toBeGreaterThan(
      1_000_000,
    );

    const { logger, lines } = capturingLogger();
    logger.error({ err: error, requestId: "req_test", path: "/v1/events/batch" }, "unhandled error");
    expect(lines).toHaveLength(1);
    const line = lines[0] as string;
    console.info(`[${driver}] a failed 22,500-row insert logged in ${Buffer.byteLength(line)} bytes`);
    expect(Buffer.byteLength(line)).toBeLessThan(16 * 1024);
    const logged = JSON.parse(line);
    expect(logged).toMatchObject({ msg: "unhandled error", requestId: "req_test", level: 50 });
    expect(logged.err.type).toBe("DrizzleQueryError");
    expect(logged.err.message).toMatch(/^Failed query: insert into "deliveries"/);
    expect(logged.err.message.length).toBeLessThanOrEqual(MAX_ERROR_TEXT + 100);
    expect(logged.err.stack).toMatch(/\n\s+at /);
    for (const field of ["query", "params", "parameters"]) expect(logged.err).not.toHaveProperty(field);
    expect(line).not.toContain(rows[1_000]?.id);
    expect(line).not.toContain("con_log_");
    // The reason the driver gave survives, as the cause.
    expect(JSON.stringify(logged.err.cause)).toMatch(
      driver === "postgres" ? /MAX_PARAMETERS_EXCEEDED/ : /bind message has \d+ parameter formats/,
    );
  });
});

describe("error serializer", () => {
  it("caps a long message and keeps short fields and the cause chain", () => {
    const cause = Object.assign(new Error("constraint failed"), { code: "23505", detail: "Key (id)=(x) exists" });
    const error = new Error(`boom ${"x".repeat(100_000)}`, { cause });
    const { logger, lines } = capturingLogger();
    logger.error({ err: error }, "failed");
    const logged = JSON.parse(lines[0] as string);
    expect(Buffer.byteLength(lines[0] as string)).toBeLessThan(16 * 1024);
    expect(logged.err.message).toMatch(/^boom x+\.\.\. \(\d+ more characters\)$/);
    expect(logged.err.cause).toMatchObject({ message: "constraint failed", code: "23505", detail: expect.any(String) });
  });
});
