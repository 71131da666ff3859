import type { NextConfig } from "next";

const config: NextConfig = {
  // Workspace packages ship TypeScript source (no build step), so Next compiles them.
  transpilePackages: ["@ib/core", "@ib/db"],
  // PGlite loads its WASM and data files from its own package directory at run time; bundled, it
  // cannot find them. postgres.js is plain Node and gains nothing from bundling either.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
  poweredByHeader: false,
  // `next build` type-checks with the root `npm run typecheck` instead (it would check twice).
  typescript: { ignoreBuildErrors: true },
};

export default config;
