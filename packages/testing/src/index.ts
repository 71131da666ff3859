// Helpers shared by the engine's tests, the e2e fixtures and the bench: nothing here knows the engine.
export { freePort } from "./ports.ts";
export { type ReceivedRequest, type Receiver, type Respond, startReceiver } from "./receiver.ts";
export { type WaitOptions, waitFor } from "./wait.ts";
