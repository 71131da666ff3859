import { defineConfig } from "drizzle-kit";

// The control plane's own schema history, kept apart from the engine's (`npm run db:generate`).
export default defineConfig({
  dialect: "postgresql",
  schema: "./apps/control-plane/src/server/schema.ts",
  out: "./apps/control-plane/drizzle",
  casing: "snake_case",
});
