#!/usr/bin/env node
// The root scripts' one entry point. It makes sure dependencies are installed (once: a stamp of the
// lockfile and manifests skips the install when nothing changed), then runs the command asked for.
// Only Node.js and npm are needed: pnpm itself is fetched by npx at the version pinned in package.json.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const PNPM = pkg.packageManager; // e.g. pnpm@10.34.9
const STAMP = join(root, "node_modules", ".ib-install-stamp");

export function workspaceDirs() {
  const dirs = [];
  for (const group of ["apps", "packages"]) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base)) {
      if (existsSync(join(base, name, "package.json"))) dirs.push(join(group, name));
    }
  }
  for (const dir of ["e2e", "bench"]) if (existsSync(join(root, dir, "package.json"))) dirs.push(dir);
  return dirs;
}

function installFingerprint() {
  const hash = createHash("sha256");
  for (const file of [
    "pnpm-lock.yaml",
    "pnpm-workspace.yaml",
    "package.json",
    ...workspaceDirs().map((d) => join(d, "package.json")),
  ]) {
    const path = join(root, file);
    hash.update(file);
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  return hash.digest("hex");
}

export function ensureInstalled() {
  const fingerprint = installFingerprint();
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === fingerprint) return;
  console.log(`[setup] installing dependencies with ${PNPM} ...`);
  const frozen = existsSync(join(root, "pnpm-lock.yaml")) ? ["--frozen-lockfile"] : [];
  const result = spawnSync("npx", ["--yes", PNPM, "install", ...frozen], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, COREPACK_INTEGRITY_KEYS: "0", npm_config_yes: "true" },
  });
  if (result.status !== 0) {
    console.error("[setup] dependency install failed");
    process.exit(result.status ?? 1);
  }
  writeFileSync(STAMP, fingerprint);
}

export const bin = (name) => join(root, "node_modules", ".bin", name);

/** Run a command in the foreground; resolve with its exit code. */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit", ...options });
    const forward = (signal) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const commands = {
  async start(args) {
    return run(process.execPath, [join(root, "scripts", "start.mjs"), ...args]);
  },
  async "start:engine"(args) {
    // The prebuilt engine (rebuilt when a source changed), or the sources through tsx if it cannot be built.
    const { engineCommand } = await import("../apps/engine/scripts/build.mjs");
    const engine = await engineCommand({ args });
    return run(engine.command, engine.args);
  },
  async "start:admin"(args) {
    return run(process.execPath, [join(root, "apps/admin/scripts/serve.mjs"), ...args]);
  },
  async "start:control-plane"(args) {
    return run(process.execPath, [join(root, "apps/control-plane/scripts/start.mjs"), ...args]);
  },
  async test(args) {
    return run(process.execPath, [join(root, "scripts", "test.mjs"), ...args]);
  },
  async bench(args) {
    return run(bin("tsx"), [join(root, "bench/run.ts"), ...args]);
  },
  async lint(args) {
    return run(bin("biome"), ["check", ...(args.length ? args : ["."])]);
  },
  async typecheck() {
    let failed = 0;
    for (const dir of workspaceDirs()) {
      if (!existsSync(join(root, dir, "tsconfig.json"))) continue;
      console.log(`[typecheck] ${dir}`);
      if ((await run(bin("tsc"), ["--noEmit", "-p", join(root, dir)])) !== 0) failed++;
    }
    return failed ? 1 : 0;
  },
  async "gen:client"(args) {
    return run(bin("tsx"), [join(root, "scripts", "gen-client.mjs"), ...args]);
  },
  async "db:generate"(args) {
    let code = await run(join(root, "packages/db/node_modules/.bin/drizzle-kit"), [
      "generate",
      "--config",
      "drizzle.config.ts",
      ...args,
    ]);
    const cp = join(root, "apps/control-plane/drizzle.config.ts");
    if (code === 0 && existsSync(cp))
      code = await run(join(root, "apps/control-plane/node_modules/.bin/drizzle-kit"), [
        "generate",
        "--config",
        cp,
        ...args,
      ]);
    return code;
  },
};

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const [name, ...args] = process.argv.slice(2);
  const command = commands[name];
  if (!command) {
    console.error(`unknown command ${name}; one of: ${Object.keys(commands).join(", ")}`);
    process.exit(2);
  }
  ensureInstalled();
  process.exit(await command(args));
}
