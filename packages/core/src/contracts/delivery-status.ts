import { z } from "zod";

/** Every status a delivery can be in (DESIGN §5); the state machine itself is in `delivery-state.ts`. */
export const DELIVERY_STATUSES = ["PENDING", "PROCESSING", "RETRY_SCHEDULED", "SUCCESS", "FAILED", "DLQ"] as const;
export const DeliveryStatusSchema = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;
