/** Next calls this once when the server starts; the Node-only work lives in server/startup.ts. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startup } = await import("./server/startup.ts");
    await startup();
  }
}
