import { createRouter } from "../../app.ts";
import { previewRoute } from "./preview.ts";

export const previewRoutes = createRouter().route("/", previewRoute);
