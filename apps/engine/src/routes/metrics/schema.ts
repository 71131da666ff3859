// The metrics shapes are a contract shared with the admin and the control-plane report.
export { ConnectorMetricsSchema, GlobalMetricsSchema } from "@ib/core/contracts/metrics";
