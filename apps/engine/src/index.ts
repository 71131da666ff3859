export { createApp, createRouter } from "./app.ts";
export { createContext } from "./bootstrap.ts";
export type { Actor, AppContext } from "./context.ts";
export { loadEnv } from "./env.ts";
export { buildApp } from "./routes/index.ts";
