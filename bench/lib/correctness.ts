// Issue 18's first rule: a faster number that loses or doubles an event is a failure. Every contender
// follows the ids of each phase at the sink; after its process has stopped (nothing can arrive any
// more) the ids are tallied: each must have arrived exactly once. The contender adds its own checks
// (the engine: every delivery SUCCESS, none in the DLQ; a job queue: no job left failed or waiting).
import { type Sink, type Tracker, tally } from "./sink.ts";
import { nowMs } from "./stats.ts";

export interface PhaseCheck {
  phase: string;
  expected: number;
  missing: number;
  duplicates: number;
}

export interface Correctness {
  valid: boolean;
  phases: PhaseCheck[];
  /** What went wrong, in words; empty when valid. */
  problems: string[];
}

export interface Checks {
  /** Follow the ids of one phase at the sink. */
  follow(phase: string, ids: readonly string[]): Tracker;
  problem(text: string): void;
  /** Tally every phase followed so far; call it once the contender's process has stopped. */
  report(): Correctness;
}

export function createChecks(sink: Sink): Checks {
  const phases: Array<{ phase: string; ids: readonly string[] }> = [];
  const problems: string[] = [];
  const unidentifiedBefore = sink.unidentified;
  return {
    follow(phase, ids) {
      phases.push({ phase, ids });
      return sink.track(ids);
    },
    problem(text) {
      problems.push(text);
    },
    report() {
      const checked = phases.map(({ phase, ids }) => ({ phase, expected: ids.length, ...tally(sink, ids) }));
      const all = [...problems];
      const unidentified = sink.unidentified - unidentifiedBefore;
      if (unidentified > 0) all.push(`${unidentified} requests reached the sink without an eventId`);
      for (const p of checked) {
        if (p.missing > 0) all.push(`${p.phase}: ${p.missing} of ${p.expected} events never reached the sink`);
        if (p.duplicates > 0) all.push(`${p.phase}: ${p.duplicates} events reached the sink more than once`);
      }
      return { valid: all.length === 0, phases: checked, problems: all };
    },
  };
}

/**
 * Wait until every id `tracker` follows has arrived, or until none has arrived for `stallMs` (then the
 * missing ones are reported by the tally, not thrown here, so the other figures are still recorded).
 * Resolves with the number that arrived.
 */
export async function awaitArrivals(tracker: Tracker, options: { stallMs?: number } = {}): Promise<number> {
  const stallMs = options.stallMs ?? 60_000;
  let seen = tracker.arrived;
  let progressAt = nowMs();
  while (tracker.arrived < tracker.ids.length) {
    await new Promise((r) => setTimeout(r, 25));
    if (tracker.arrived !== seen) {
      seen = tracker.arrived;
      progressAt = nowMs();
    } else if (nowMs() - progressAt > stallMs) break;
  }
  return tracker.arrived;
}
