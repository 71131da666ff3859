// The JSON Schema of a connector for the "Edit as JSON" mode, derived from the same zod schema the
// engine validates with (never hand-copied), so it accepts what the engine accepts — `filter` (rules or an
// expression), `expect`, broker destinations. Computed on the server for each editor page (a few ms).
import { ConnectorInputSchema } from "@ib/core/connector-schema";
import { z } from "zod";

export function connectorJsonSchema(): object {
  return z.toJSONSchema(ConnectorInputSchema, { io: "input", unrepresentable: "any" }) as object;
}
