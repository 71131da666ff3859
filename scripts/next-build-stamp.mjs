// Build a Next.js app of the workspace once: `next build` runs only when its sources changed since
// the last build. The stamp (a hash of the app, the workspace sources it compiles in and the
// lockfile) is kept in the app's .next. Shared by the admin and the control plane.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const repo = join(import.meta.dirname, "..");

/**
 * @param {{ app: string, packages: string[], skip: string[] }} options
 *   app: the app's folder; packages: workspace packages whose `src` it compiles in;
 *   skip: file or folder names that are not sources (build output, data, tests).
 */
export function nextBuildStamp({ app, packages, skip }) {
  const SKIP = new Set(skip);
  const stampFile = join(app, ".next", "ib-build-stamp");

  function walk(dir, files) {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      if (SKIP.has(name) || name.endsWith(".tsbuildinfo")) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, files);
      else files.push(path);
    }
  }

  function sourceHash() {
    const files = [];
    walk(app, files);
    for (const pkg of packages) walk(join(repo, "packages", pkg, "src"), files);
    files.push(join(repo, "pnpm-lock.yaml"));
    const hash = createHash("sha256");
    for (const file of files) {
      if (!existsSync(file)) continue;
      hash.update(relative(repo, file));
      hash.update(readFileSync(file));
    }
    return hash.digest("hex");
  }

  return {
    sourceHash,
    isBuildFresh() {
      return (
        existsSync(join(app, ".next", "BUILD_ID")) &&
        existsSync(stampFile) &&
        readFileSync(stampFile, "utf8") === sourceHash()
      );
    },
    writeStamp(hash = sourceHash()) {
      writeFileSync(stampFile, hash);
    },
  };
}
