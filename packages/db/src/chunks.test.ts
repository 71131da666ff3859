import { getTableColumns } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { inChunks, MAX_BIND_PARAMETERS, rowsPerParameters, rowsPerStatement } from "./chunks.ts";
import { deliveries } from "./schema/index.ts";

describe("insert chunks", () => {
  it("fits a table's rows under the bind parameter limit, one parameter per column", () => {
    const columns = Object.keys(getTableColumns(deliveries)).length;
    const rows = rowsPerStatement(deliveries);
    expect(rows * columns).toBeLessThanOrEqual(MAX_BIND_PARAMETERS);
    expect((rows + 1) * columns).toBeGreaterThan(MAX_BIND_PARAMETERS);
    expect(rowsPerParameters(20, 1)).toBe(Math.floor((MAX_BIND_PARAMETERS - 1) / 20));
    expect(() => rowsPerParameters(MAX_BIND_PARAMETERS + 1)).toThrow(/does not fit/);
  });

  it("writes every row once, in order, in slices of at most the given size", async () => {
    const rows = Array.from({ length: 10 }, (_, i) => i);
    const slices: number[][] = [];
    const results = await inChunks(rows, 4, async (chunk) => {
      slices.push(chunk);
      return chunk.length;
    });
    expect(slices).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(results).toEqual([4, 4, 2]);
    expect(await inChunks([], 4, async () => 1)).toEqual([]);
  });
});
