import { createRouter } from "../../app.ts";
import { receiveWebhookRoute } from "./receive.ts";

export const webhookRoutes = createRouter().route("/", receiveWebhookRoute);
