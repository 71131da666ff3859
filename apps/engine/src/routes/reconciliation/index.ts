import { createRouter } from "../../app.ts";
import { getExpectationRoute } from "./get.ts";
import { listReconciliationRoute } from "./list.ts";
import { reconciliationSummaryRoute } from "./summary.ts";

// The summary before `{id}`, so `/reconciliation/summary` is not read as an expectation id.
export const reconciliationRoutes = createRouter()
  .route("/", listReconciliationRoute)
  .route("/", reconciliationSummaryRoute)
  .route("/", getExpectationRoute);
