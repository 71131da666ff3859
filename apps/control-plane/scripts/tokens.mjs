// The ingest token `npm start` gives the control plane and the engine it launches: CP_INGEST_TOKEN
// when set, else one generated on first start and kept (mode 0600) in the control plane's data dir.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function controlPlaneIngestToken(dataDir, fromEnv = process.env.CP_INGEST_TOKEN) {
  const file = join(dataDir, "ingest-token");
  if (fromEnv) return { token: fromEnv, file: undefined };
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= 16) {
      chmodSync(file, 0o600);
      return { token: stored, file };
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const token = `cpi_${randomBytes(32).toString("base64url")}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, file };
}
