import type { Metadata } from "next";
import { RegistryView } from "./_components/registry-view";

export const metadata: Metadata = { title: "Registry" };

export default function RegistryPage() {
  return <RegistryView />;
}
