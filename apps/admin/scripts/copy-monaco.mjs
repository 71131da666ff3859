#!/usr/bin/env node
// Monaco must load offline (no CDN): copy its AMD build into public/ so the app serves it at /monaco/vs.
// public/monaco is gitignored; this runs before every build and dev start.
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const app = join(import.meta.dirname, "..");

export function copyMonaco() {
  // monaco-editor's exports map hides package.json; its folder is linked into our node_modules by pnpm.
  const root = join(app, "node_modules", "monaco-editor");
  const pkgJson = join(root, "package.json");
  const version = JSON.parse(readFileSync(pkgJson, "utf8")).version;
  const source = join(root, "min", "vs");
  const target = join(app, "public", "monaco", "vs");
  const marker = join(target, `.version-${version}`);
  if (existsSync(marker)) return;
  rmSync(join(app, "public", "monaco"), { recursive: true, force: true });
  cpSync(source, target, { recursive: true });
  cpSync(pkgJson, marker);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) copyMonaco();
