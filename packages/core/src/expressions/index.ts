/** Mapping expressions (DESIGN §10): `{% … %}` strings are JSONata, compiled once, evaluated with budgets. */
export {
  CompiledExpression,
  DEFAULT_EXPRESSION_LIMITS,
  type EvaluateOptions,
  type Evaluation,
  ExpressionFailure,
  type ExpressionLimits,
} from "./compile.ts";
export { type CompilableConnector, CompiledConnectors } from "./compiled-connectors.ts";
export { ExpressionRuntime } from "./functions.ts";
export {
  DEFAULT_REQUEST_TIMEOUT_MS,
  Evaluated,
  fieldName,
  type PlanOptions,
  RequestPlan,
  type RequestSpec,
} from "./plan.ts";
export {
  BUILTIN_FUNCTIONS,
  checkExpression,
  EXTRA_FUNCTIONS,
  type ExpressionProblem,
  expressionFacts,
  isExpression,
  MAX_EXPRESSION_LENGTH,
} from "./syntax.ts";
