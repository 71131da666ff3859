import type { Metadata } from "next";
import { PresetsGallery } from "./_components/presets-gallery";

export const metadata: Metadata = { title: "Presets" };

export default function PresetsPage() {
  return <PresetsGallery />;
}
