import { createRouter } from "../../app.ts";
import { deleteRegistryRoute } from "./delete.ts";
import { listRegistryRoute } from "./list.ts";
import { upsertRegistryRoute } from "./upsert.ts";

export const registryRoutes = createRouter()
  .route("/", listRegistryRoute)
  .route("/", upsertRegistryRoute)
  .route("/", deleteRegistryRoute);
