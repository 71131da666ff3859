"use client";

import { createContext, type ReactNode, useContext } from "react";
import type { Me, Permission } from "@/lib/engine-types";

const SessionContext = createContext<Me | null>(null);

export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <SessionContext.Provider value={me}>{children}</SessionContext.Provider>;
}

export function useMe(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error("useMe outside SessionProvider");
  return me;
}

/** Whether the signed-in token holds a permission (the engine enforces it regardless). */
export function useCan(permission: Permission): boolean {
  return useMe().permissions.includes(permission);
}
