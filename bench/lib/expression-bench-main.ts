// Entry of the expression benchmark's own process (see `benchExpressionsIn`): prints its result as JSON.
import { benchExpressions } from "./expression-bench.ts";

const result = await benchExpressions({ log: () => {} });
process.stdout.write(JSON.stringify(result));
