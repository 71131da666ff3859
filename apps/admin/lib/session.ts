import { cookies } from "next/headers";
import { cache } from "react";
import { ApiError, engine, SESSION_COOKIE } from "./engine";
import type { Me } from "./engine-types";
import { env } from "./env";

export async function sessionToken(): Promise<string | undefined> {
  return (await cookies()).get(SESSION_COOKIE)?.value || undefined;
}

export const cookieOptions = () =>
  ({
    httpOnly: true,
    sameSite: "strict",
    secure: env.ADMIN_SECURE_COOKIE === "1",
    path: "/",
    maxAge: 60 * 60 * 12,
  }) as const;

/** Who is signed in, asked of the engine once per request; null when there is no valid session. */
export const currentUser = cache(async (): Promise<Me | null> => {
  const token = await sessionToken();
  if (!token) return null;
  try {
    return await engine.me(token);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
    throw error;
  }
});
