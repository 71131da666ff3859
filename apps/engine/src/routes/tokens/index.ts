import { createRouter } from "../../app.ts";
import { createTokenRoute } from "./create.ts";
import { listTokensRoute } from "./list.ts";
import { revokeTokenRoute } from "./revoke.ts";

export const tokenRoutes = createRouter()
  .route("/", listTokensRoute)
  .route("/", createTokenRoute)
  .route("/", revokeTokenRoute);
