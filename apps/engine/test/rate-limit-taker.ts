// A separate OS process taking tokens from the shared bucket (rate-limit.test.ts starts two of these).
import { createDb } from "@ib/db";
import { takeRateToken } from "../src/worker/rate-limit.ts";

const [url, connectorId, rate, startAt, durationMs] = process.argv.slice(2);
const handle = await createDb({ databaseUrl: url as string, poolSize: 2 });
const times: number[] = [];
while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 1));
const end = Number(startAt) + Number(durationMs);
while (Date.now() < end) {
  const t = await takeRateToken(handle.db, { connectorId: connectorId as string, ratePerSecond: Number(rate) });
  if (t.ok) times.push(Date.now());
}
await handle.close();
process.stdout.write(JSON.stringify(times));
