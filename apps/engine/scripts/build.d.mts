// Types for build.mjs, imported from TypeScript by the benchmark (bench/lib/engine-process.ts).
export declare const distDir: string;

export declare function ensureEngineBuilt(options?: {
  force?: boolean;
  log?: (line: string) => void;
}): Promise<{ entry: string; reason?: undefined } | { entry: null; reason: string }>;

export declare function engineCommand(options?: {
  nodeArgs?: string[];
  args?: string[];
  log?: (line: string) => void;
}): Promise<{ command: string; args: string[]; built: boolean }>;
