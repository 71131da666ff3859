import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/session";
import { TokensView } from "./_components/tokens-view";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const me = await currentUser();
  if (!me?.permissions.includes("tokens.manage")) redirect("/connectors");
  return <TokensView />;
}
