import { createRouter } from "../../app.ts";
import { createReplayRoute } from "./create.ts";
import { getReplayRoute } from "./get.ts";

export const replayRoutes = createRouter().route("/", createReplayRoute).route("/", getReplayRoute);
