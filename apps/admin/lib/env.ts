import { z } from "zod";

// The admin's only reader of process.env (server side).
const Env = z.object({
  ENGINE_URL: z.string().url().default("http://127.0.0.1:8787"),
  /** The engine's address as providers see it (for inbound webhook URLs); defaults to ENGINE_URL. */
  ENGINE_PUBLIC_URL: z.string().url().optional(),
  /** Mark the session cookie Secure (set it when the admin is served over HTTPS). */
  ADMIN_SECURE_COOKIE: z.enum(["0", "1"]).default("0"),
});

export const env = Env.parse({
  ENGINE_URL: process.env.ENGINE_URL || undefined,
  ENGINE_PUBLIC_URL: process.env.ENGINE_PUBLIC_URL || undefined,
  ADMIN_SECURE_COOKIE: process.env.ADMIN_SECURE_COOKIE || undefined,
});
