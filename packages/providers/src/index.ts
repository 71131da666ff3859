export * from "./presets.ts";
export * from "./request-auth.ts";
export * from "./sigv4.ts";
export * from "./verifiers.ts";
