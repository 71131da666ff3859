export * from "./audit-chain.ts";
export * from "./canonical.ts";
export * from "./ids.ts";
export * from "./secret-box.ts";
