export * from "./audit.ts";
export * from "./connectors.ts";
export * from "./deliveries.ts";
export * from "./events.ts";
export * from "./sources.ts";
export * from "./tokens.ts";
