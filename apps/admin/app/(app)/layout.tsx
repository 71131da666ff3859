import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { SessionProvider } from "@/components/app/session";
import { Shell } from "@/components/app/shell";
import { currentUser } from "@/lib/session";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const me = await currentUser();
  if (!me) redirect("/sign-in");
  return (
    <SessionProvider me={me}>
      <Shell>{children}</Shell>
    </SessionProvider>
  );
}
