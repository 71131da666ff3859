import { createRouter } from "../../app.ts";
import { getDeliveryRoute } from "./get.ts";
import { deliveryLogsRoute } from "./logs.ts";
import { retryRoutes } from "./retry.ts";

export const deliveryRoutes = createRouter()
  .route("/", deliveryLogsRoute)
  .route("/", getDeliveryRoute)
  .route("/", retryRoutes);
