import type { Metadata } from "next";
import { connectorJsonSchema } from "@/lib/connector-json-schema";
import { ConnectorWorkspace } from "../_components/connector-workspace";

export const metadata: Metadata = { title: "New connector" };

export default function NewConnectorPage() {
  return <ConnectorWorkspace schema={connectorJsonSchema()} />;
}
