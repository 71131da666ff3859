import { createRouter } from "../../app.ts";
import { ingestEventRoute } from "./ingest.ts";
import { ingestBatchRoute } from "./ingest-batch.ts";
import { listEventsRoute } from "./list.ts";

export const eventRoutes = createRouter()
  .route("/", ingestBatchRoute)
  .route("/", ingestEventRoute)
  .route("/", listEventsRoute);
