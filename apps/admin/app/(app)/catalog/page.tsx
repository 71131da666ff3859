import type { Metadata } from "next";
import { CatalogView } from "./_components/catalog-view";

export const metadata: Metadata = { title: "Event catalog" };

export default function CatalogPage() {
  return <CatalogView />;
}
