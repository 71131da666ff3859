/** Connector filters (DESIGN §10): which events with its name a connector takes. */
export { type CompiledFilter, compileFilter, type FilterOutcome, NO_FILTER } from "./compile.ts";
export {
  type ConnectorFilter,
  FILTER_LIMITS,
  FILTER_OPS,
  type FilterGroup,
  type FilterNode,
  type FilterOp,
  type FilterProblem,
  type FilterRule,
  filterProblems,
} from "./rules.ts";
export { FilterSchema } from "./schema.ts";
