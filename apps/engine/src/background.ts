import type { AppContext } from "./context.ts";

export type ProcessRole = "api" | "worker" | "all";

/** A long-running part of the engine (the delivery worker, the reporter, retention, ...). */
export interface BackgroundService {
  name: string;
  start(): Promise<void> | void;
  /** Stop taking new work and finish what is in flight within `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

/** The background services a process runs for its role. */
export function backgroundServices(_ctx: AppContext, _role: ProcessRole): BackgroundService[] {
  return [];
}
