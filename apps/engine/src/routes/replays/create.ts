import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../../app.ts";
import { guard } from "../../auth/guard.ts";
import { serviceContext } from "../../auth/middleware.ts";
import { ADMIN_BASE, errorResponses, jsonBody, jsonContent } from "../../lib/openapi.ts";
import { createReplay } from "../../verbs/replays/create-replay.ts";
import { ReplayInputSchema, ReplayPlanSchema, ReplayStartedSchema } from "./schema.ts";

const route = createRoute({
  method: "post",
  path: `${ADMIN_BASE}/replays`,
  tags: ["Replays"],
  summary: "Replay stored events to a connector (a backfill, or a recovery); dryRun counts only",
  description:
    "For every stored event received in `[from, to)` that the connector's `sourceEvent` and `filter` take " +
    "(optionally only `eventName`, only `eventId`, or only events with no delivery for it yet: " +
    "`onlyUndelivered`), a new delivery for that connector, marked `replay` with the replay id. `dryRun: true` " +
    "creates nothing and answers `{events, deliveries}`. Otherwise 202 `{replayId, deliveries}` at once: the " +
    "deliveries are created in pages in the background (follow them with GET …/replays/{id}) and go out " +
    "through the worker like any other, within the connector's rate limit. A range with nothing to deliver " +
    "answers `deliveries: 0` and creates nothing. `from` must be before `to` and within the retention window. " +
    "Audited.",
  ...guard("deliveries.retry"),
  request: { body: jsonBody(ReplayInputSchema, "What to replay") },
  responses: {
    200: jsonContent(ReplayPlanSchema, "Dry run: what a real run would create"),
    202: jsonContent(ReplayStartedSchema, "Started: the deliveries are being created"),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const createReplayRoute = createRouter().openapi(route, async (c) => {
  const result = await createReplay({ ctx: serviceContext(c), input: c.req.valid("json") });
  return "dryRun" in result ? c.json(result, 200) : c.json(result, 202);
});
