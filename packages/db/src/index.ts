export * from "./advisory-session.ts";
export * from "./chunks.ts";
export * from "./client.ts";
export * from "./migrate.ts";
export { prepared } from "./postgres-prepared.ts";
export * as schema from "./schema/index.ts";
export * from "./schema/index.ts";
