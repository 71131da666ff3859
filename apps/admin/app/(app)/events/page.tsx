import type { Metadata } from "next";
import { EventsExplorer } from "./_components/events-explorer";

export const metadata: Metadata = { title: "Events" };

export default function EventsPage() {
  return <EventsExplorer />;
}
