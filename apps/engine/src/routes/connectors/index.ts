import { createRouter } from "../../app.ts";
import { deleteConnectorRoute } from "./delete.ts";
import { getConnectorRoute } from "./get.ts";
import { listConnectorsRoute } from "./list.ts";
import { testConnectorRoute } from "./test.ts";
import { upsertConnectorRoute } from "./upsert.ts";

export const connectorRoutes = createRouter()
  .route("/", listConnectorsRoute)
  .route("/", getConnectorRoute)
  .route("/", upsertConnectorRoute)
  .route("/", deleteConnectorRoute)
  .route("/", testConnectorRoute);
