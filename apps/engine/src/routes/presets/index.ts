import { createRouter } from "../../app.ts";
import { createFromPresetRoute } from "./create-connector.ts";
import { listPresetsRoute } from "./list.ts";

export const presetRoutes = createRouter().route("/", listPresetsRoute).route("/", createFromPresetRoute);
