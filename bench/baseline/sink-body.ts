// What both baselines' workers send for an event: the same 5 fields as the engine's plain bench connector
// (`plainConnector` in lib/features-bench.ts). No imports, so it adds nothing to a worker's RSS.
export interface BenchEvent {
  id: string;
  payload: { orderId: string; customer: { email: string }; amount: { value: number; currency: string } };
}

export function sinkBody(event: BenchEvent): string {
  return JSON.stringify({
    eventId: event.id,
    orderId: event.payload.orderId,
    customerEmail: event.payload.customer.email,
    amount: event.payload.amount.value,
    currency: event.payload.amount.currency,
  });
}
