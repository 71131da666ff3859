import type { Metadata } from "next";
import { connectorJsonSchema } from "@/lib/connector-json-schema";
import { ConnectorWorkspace } from "../_components/connector-workspace";

export const metadata: Metadata = { title: "Connector" };

export default async function ConnectorPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ConnectorWorkspace id={id} schema={connectorJsonSchema()} />;
}
