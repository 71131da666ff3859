import { createRouter } from "../../app.ts";
import { deleteSourceRoute } from "./delete.ts";
import { getSourceRoute } from "./get.ts";
import { listSourcesRoute } from "./list.ts";
import { setSourceSecretRoute } from "./set-secret.ts";
import { upsertSourceRoute } from "./upsert.ts";
import { sourceWebhooksRoute } from "./webhooks.ts";

export const sourceRoutes = createRouter()
  .route("/", listSourcesRoute)
  .route("/", getSourceRoute)
  .route("/", upsertSourceRoute)
  .route("/", deleteSourceRoute)
  .route("/", setSourceSecretRoute)
  .route("/", sourceWebhooksRoute);
