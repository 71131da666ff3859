/**
 * What a long-running part of the engine (the delivery worker, the reporter, retention, ...) looks like.
 * Services depend on this interface only; `background.ts` lists them, so nothing imports back into it.
 */
export interface BackgroundService {
  name: string;
  start(): Promise<void> | void;
  /** Stop taking new work and finish what is in flight within `graceMs`. */
  stop(graceMs: number): Promise<void>;
}
