// Types for build.mjs, imported from TypeScript by the benchmark (bench/lib/engine-process.ts).
export declare const distDir: string;

export declare function ensureEngineBuilt(options?: {
  force?: boolean;
  log?: (line: string) => void;
  /** Defaults to apps/engine/src/main.ts (another entry is for tests). */
  entryPoint?: string;
  /** Defaults to apps/engine/dist. */
  outDir?: string;
}): Promise<{ entry: string; reason?: undefined } | { entry: null; reason: string }>;

export declare function engineCommand(options?: {
  nodeArgs?: string[];
  args?: string[];
  log?: (line: string) => void;
}): Promise<{ command: string; args: string[]; built: boolean }>;
