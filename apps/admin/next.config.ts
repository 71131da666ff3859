import type { NextConfig } from "next";

const config: NextConfig = {
  // @ib/core and @ib/providers ship TypeScript source (no build step for internal packages).
  transpilePackages: ["@ib/core", "@ib/providers"],
  poweredByHeader: false,
  reactStrictMode: true,
  // Type-checking is its own step (`npm run typecheck`); keep `next build` lean on small machines.
  typescript: { ignoreBuildErrors: true },
  productionBrowserSourceMaps: false,
};

export default config;
