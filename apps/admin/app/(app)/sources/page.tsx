import type { Metadata } from "next";
import { env } from "@/lib/env";
import { SourcesView } from "./_components/sources-view";

export const metadata: Metadata = { title: "Inbound sources" };

export default function SourcesPage() {
  // The full webhook URL to give a provider: ENGINE_PUBLIC_URL when the engine sits behind a proxy.
  return <SourcesView engineUrl={env.ENGINE_PUBLIC_URL ?? env.ENGINE_URL} />;
}
