import { createRouter } from "../../app.ts";
import { reportControlPlaneRoute } from "./report.ts";

export const controlPlaneRoutes = createRouter().route("/", reportControlPlaneRoute);
