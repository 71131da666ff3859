import { createRouter } from "../../app.ts";
import { scrapeRoute } from "./scrape.ts";

export const prometheusRoutes = createRouter().route("/", scrapeRoute);
