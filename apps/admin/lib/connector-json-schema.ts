// The JSON Schema of a connector for the "Edit as JSON" mode, derived from the same zod schema the
// engine validates with (never hand-copied). Computed on the server and handed to the editor.
import { ConnectorInputSchema } from "@ib/core/connector-schema";
import { z } from "zod";

let cached: object | undefined;

export function connectorJsonSchema(): object {
  cached ??= z.toJSONSchema(ConnectorInputSchema, { io: "input", unrepresentable: "any" }) as object;
  return cached;
}
