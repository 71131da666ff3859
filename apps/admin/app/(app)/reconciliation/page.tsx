import type { Metadata } from "next";
import { ReconciliationView } from "./_components/reconciliation-view";

export const metadata: Metadata = { title: "Reconciliation" };

export default function ReconciliationPage() {
  return <ReconciliationView />;
}
