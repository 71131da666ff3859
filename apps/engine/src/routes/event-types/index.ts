import { createRouter } from "../../app.ts";
import { deleteEventTypeRoute } from "./delete.ts";
import { getEventTypeRoute } from "./get.ts";
import { inferredSchemaRoute } from "./inferred.ts";
import { listEventTypesRoute } from "./list.ts";
import { upsertEventTypeRoute } from "./upsert.ts";

export const eventTypeRoutes = createRouter()
  .route("/", listEventTypesRoute)
  .route("/", upsertEventTypeRoute)
  .route("/", inferredSchemaRoute)
  .route("/", getEventTypeRoute)
  .route("/", deleteEventTypeRoute);
