import { createRouter } from "../../app.ts";
import { deleteSecretRoute } from "./delete.ts";
import { listSecretsRoute } from "./list.ts";
import { setSecretRoute } from "./set.ts";

export const secretRoutes = createRouter()
  .route("/", setSecretRoute)
  .route("/", listSecretsRoute)
  .route("/", deleteSecretRoute);
