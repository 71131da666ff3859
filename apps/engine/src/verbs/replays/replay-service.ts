import type { BackgroundService } from "../../background-service.ts";
import type { AppContext } from "../../context.ts";
import { REPLAY_CHANNEL } from "./create-replay.ts";
import { runReplays } from "./run-replays.ts";

/**
 * Runs replays in the background: wakes when one is created (REPLAY_CHANNEL, any process) and polls every
 * IB_WORKER_POLL_MS for one whose runner died. Safe in every worker process: a replay is leased by one
 * runner at a time.
 */
export function replayService(app: AppContext): BackgroundService & { runOnce(): Promise<number> } {
  const owner = `${app.instanceId}:${process.pid}:replays`;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let unlisten: (() => Promise<void>) | undefined;

  const runOnce = () => runReplays({ app, owner });

  function kick() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await runReplays({ app, owner, shouldStop: () => stopped });
      } while (again && !stopped);
    })()
      .catch((error) => app.logger.warn({ err: error }, "replay pass failed; retrying at the next poll"))
      .finally(() => {
        running = undefined;
      });
  }

  return {
    name: "replays",
    runOnce,
    async start() {
      stopped = false;
      unlisten = await app.dbHandle.listen(REPLAY_CHANNEL, () => kick());
      timer = setInterval(kick, app.env.IB_WORKER_POLL_MS);
      timer.unref();
      kick();
    },
    async stop(graceMs) {
      stopped = true;
      if (timer) clearInterval(timer);
      await unlisten?.().catch(() => {});
      if (running) await Promise.race([running, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    },
  };
}
