#!/usr/bin/env node
// The prebuilt engine: apps/engine/src/main.ts and the workspace sources it imports (@ib/*) bundled by
// esbuild into one ES module in apps/engine/dist (gitignored), so `npm start` and the benchmark run plain
// JavaScript instead of transpiling TypeScript at run time (tsx's loader thread and its caches cost ~90 MB
// of RSS and a second of startup). Packages from node_modules stay outside the bundle, imported by path,
// exactly as Node would load them by name.
//
// It is rebuilt whenever it is stale: the stamp (dist/build.json) lists every bundled source file with
// its hash, plus the lockfile, the workspace manifests and tsconfigs, this script and esbuild's version;
// any change to one of them rebuilds (~1 s). Tests keep running the sources. `--force` always builds.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const app = join(import.meta.dirname, "..");
const repo = join(app, "..", "..");
export const distDir = join(app, "dist");
const mainEntry = join(app, "src", "main.ts");
const STAMP_VERSION = 1;
const NODE_MAJOR = process.versions.node.split(".")[0];
/** Bundles kept besides the current one (an engine being started from one must still find it). */
const KEEP_OLD = 2;

const sha = (data) => createHash("sha256").update(data).digest("hex");
const fileHash = (path) => (existsSync(path) ? sha(readFileSync(path)) : "missing");

function loadEsbuild() {
  // esbuild is a devDependency of apps/engine (resolved from there, not from the repo root).
  const path = createRequire(join(app, "package.json")).resolve("esbuild");
  return import(pathToFileURL(path).href);
}

/** Files that decide the build besides the bundled sources: how packages resolve and how TS compiles. */
function configFiles() {
  const files = [join(repo, "pnpm-lock.yaml"), join(repo, "tsconfig.base.json"), fileURLToPath(import.meta.url)];
  for (const group of ["apps", "packages"]) {
    const base = join(repo, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      for (const file of ["package.json", "tsconfig.json"]) {
        const path = join(base, name, file);
        if (existsSync(path)) files.push(path);
      }
    }
  }
  return files.map((f) => relative(repo, f));
}

function readStamp(outDir) {
  try {
    const stamp = JSON.parse(readFileSync(join(outDir, "build.json"), "utf8"));
    return stamp?.version === STAMP_VERSION ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/** Why the current bundle cannot be used, or undefined when it is up to date. */
function staleness(stamp, outDir, esbuildVersion) {
  if (!stamp) return "no build yet";
  if (!existsSync(join(outDir, stamp.entry))) return "the bundle is missing";
  if (esbuildVersion && stamp.esbuild !== esbuildVersion) return "esbuild changed";
  if (stamp.node !== NODE_MAJOR) return "Node.js changed";
  for (const [file, hash] of Object.entries(stamp.files)) {
    if (fileHash(join(repo, file)) !== hash) return `${file} changed`;
  }
  const known = new Set(Object.keys(stamp.files));
  const added = configFiles().find((f) => !known.has(f));
  return added ? `${added} is new` : undefined;
}

// Each module keeps its own import.meta.url (e.g. @ib/db finds drizzle/ relative to its source file), so
// the bundle behaves as the sources do wherever dist/ is.
const OWN_URL = /\bimport\.meta\.(url|filename|dirname)\b/g;

/** `loaded`: the hash of each source as it was read for the bundle (a file edited mid-build stays stale). */
function enginePlugin(outdir, loaded) {
  return {
    name: "ib-engine",
    setup(build) {
      // Bare imports: the workspace's own packages (@ib/*, TypeScript) are bundled; everything else is
      // left to Node, imported by its resolved path (pnpm's packages are not all reachable from dist/).
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.path.startsWith("node:") || args.pluginData === "ib-inner") return undefined;
        if (args.path.startsWith("@ib/")) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: "ib-inner",
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        if (resolved.external || !resolved.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const path = relative(outdir, resolved.path).split(sep).join("/");
        return { path: path.startsWith(".") ? path : `./${path}`, external: true };
      });
      build.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const url = pathToFileURL(args.path).href;
        const own = { url, filename: args.path, dirname: dirname(args.path) };
        const source = readFileSync(args.path);
        loaded.set(relative(repo, args.path), sha(source));
        const contents = source.toString("utf8").replace(OWN_URL, (_, key) => JSON.stringify(own[key]));
        return { contents, loader: "ts" };
      });
    },
  };
}

async function build(esbuild, entryPoint, outDir) {
  mkdirSync(outDir, { recursive: true });
  // dist/ is build output: ignored by git without touching the repository's .gitignore.
  writeFileSync(join(outDir, ".gitignore"), "*\n");
  const loaded = new Map();
  const result = await esbuild.build({
    absWorkingDir: repo,
    entryPoints: [entryPoint],
    bundle: true,
    write: false,
    outdir: outDir,
    entryNames: "main.[hash]",
    outExtension: { ".js": ".mjs" },
    platform: "node",
    format: "esm",
    target: `node${NODE_MAJOR}`,
    // Stack traces point at the TypeScript sources when Node runs with --enable-source-maps.
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    logLevel: "silent",
    plugins: [enginePlugin(outDir, loaded)],
  });
  let entry;
  for (const out of result.outputFiles) {
    // Written under a temporary name and renamed: an engine starting meanwhile never reads half a file.
    const tmp = `${out.path}.${process.pid}.tmp`;
    writeFileSync(tmp, out.contents);
    renameSync(tmp, out.path);
    if (out.path.endsWith(".mjs")) entry = relative(outDir, out.path);
  }
  const files = {};
  for (const input of Object.keys(result.metafile.inputs))
    files[input] = loaded.get(input) ?? fileHash(join(repo, input));
  for (const file of configFiles()) files[file] = fileHash(join(repo, file));
  const stamp = { version: STAMP_VERSION, entry, esbuild: esbuild.version, node: NODE_MAJOR, files };
  const stampFile = join(outDir, "build.json");
  const tmp = `${stampFile}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(stamp, null, 1)}\n`);
  renameSync(tmp, stampFile);
  pruneOldBundles(outDir, entry);
  return entry;
}

function pruneOldBundles(outDir, current) {
  const bundles = readdirSync(outDir)
    .filter((name) => /^main\.[\w-]+\.mjs$/.test(name) && name !== current)
    .map((name) => ({ name, mtime: statSync(join(outDir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { name } of bundles.slice(KEEP_OLD)) {
    rmSync(join(outDir, name), { force: true });
    rmSync(join(outDir, `${name}.map`), { force: true });
  }
}

/**
 * The prebuilt engine's entry file, built first if any source changed since the last build. Resolves to
 * `{ entry }` (absolute path), or `{ entry: null, reason }` when it cannot be built (callers then run the
 * sources with tsx). `entryPoint` and `outDir` default to src/main.ts and dist/ (other values are for tests).
 */
export async function ensureEngineBuilt({
  force = false,
  log = (line) => console.error(line),
  entryPoint = mainEntry,
  outDir = distDir,
} = {}) {
  let esbuild;
  try {
    esbuild = await loadEsbuild();
  } catch (error) {
    return { entry: null, reason: `esbuild is not available (${error.message.split("\n")[0]})` };
  }
  const stamp = readStamp(outDir);
  const stale = force ? "forced" : staleness(stamp, outDir, esbuild.version);
  if (!stale) return { entry: join(outDir, stamp.entry) };
  const started = Date.now();
  try {
    const entry = await build(esbuild, entryPoint, outDir);
    log(`[engine] built ${relative(repo, join(outDir, entry))} in ${Date.now() - started} ms (${stale})`);
    return { entry: join(outDir, entry) };
  } catch (error) {
    const first = error.errors?.[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line})` : "";
    return { entry: null, reason: `the build failed: ${first?.text ?? error.message}${where}` };
  } finally {
    // esbuild's service is a child process: not kept beside an engine started from this process.
    await esbuild.stop?.();
  }
}

/**
 * How to run the engine: `node [nodeArgs] dist/main.<hash>.mjs [args]`, or the sources through tsx's
 * loader (`node --import tsx apps/engine/src/main.ts`, one process) when the build is not possible.
 */
export async function engineCommand({ nodeArgs = [], args = [], log = (line) => console.error(line) } = {}) {
  const built = await ensureEngineBuilt({ log });
  if (built.entry) {
    return {
      command: process.execPath,
      args: ["--enable-source-maps", ...nodeArgs, built.entry, ...args],
      built: true,
    };
  }
  log(`[engine] running from the sources with tsx: ${built.reason}`);
  return {
    command: process.execPath,
    args: [...nodeArgs, "--import", "tsx", mainEntry, ...args],
    built: false,
  };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const built = await ensureEngineBuilt({ force: process.argv.includes("--force") });
  if (built.entry) console.log(built.entry);
  else console.error(`[engine] ${built.reason}`);
  process.exit(built.entry ? 0 : 1);
}
