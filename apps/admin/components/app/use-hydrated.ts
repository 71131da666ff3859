"use client";

import { useSyncExternalStore } from "react";

const never = () => () => {};

/**
 * False in the server's HTML and while React hydrates it, true from then on (and at once after a client-side
 * navigation). Until then a control shows but nothing handles it: what is typed is dropped when React takes
 * the field over, and a click does nothing.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}
