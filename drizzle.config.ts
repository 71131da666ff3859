import { defineConfig } from "drizzle-kit";

// The engine's schema history. `npm run db:generate` writes a new migration here after a schema change.
export default defineConfig({
  dialect: "postgresql",
  schema: "./packages/db/src/schema/index.ts",
  out: "./drizzle",
  casing: "snake_case",
});
