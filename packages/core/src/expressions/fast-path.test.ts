import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CompiledExpression, type EvaluateOptions, ExpressionFailure } from "./compile.ts";
import { ExpressionRuntime } from "./functions.ts";

// The fast path must be indistinguishable from JSONata: for every expression of the subset and any input,
// the same value (undefined and missing fields included), the same taint and secrets, the same error.

/** bench/lib/features-bench.ts FEATURES_MAPPING and bench/lib/expression-bench.ts EXPRESSION_MAPPING, verbatim. */
const BENCH_EXPRESSIONS = [
  "{% id %}",
  "{% payload.orderId %}",
  "{% $uppercase(payload.orderId) & '-' & payload.amount.currency %}",
  "{% payload.amount.value / 100 %}",
  "{% $round(payload.amount.value * 1.21 / 100, 2) %}",
  "{% $lowercase(payload.amount.currency) %}",
  "{% $lowercase(payload.customer.email) %}",
  "{% $formatDate(time, '[Y0001]-[M01]-[D01]') %}",
  "{% $sum(payload.items.qty) %}",
  "{% payload.amount.value >= 2050 ? 'large' : 'small' %}",
  "{% $uppercase(payload.amount.currency) %}",
  "{% 'customer ' & payload.customer.id %}",
  "{% $default(payload.note, 'none') %}",
  "{% [payload.items.{ 'sku': sku, 'quantity': qty }] %}",
  "{% $lookup({'EUR': 'eu', 'USD': 'us'}, payload.amount.currency) %}",
  "{% payload.amount.value > 2000 ? 'big' : 'small' %}",
];

/** The examples of docs/connectors.md that fall in the subset. */
const DOCS_EXPRESSIONS = [
  "{% $formatDate(payload.createdAt, '[D01]/[M01]/[Y0001]') %}",
  "{% $formatDate(payload.createdAt, '[Y0001]-[M01]-[D01] [H01]:[m01]', 'America/Sao_Paulo') %}",
  "{% $formatDate(payload.createdAt, '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01][Z01:01]', 'America/New_York') %}",
  "{% $formatDate(time) %}",
  "{% $floor($toMillis(payload.createdAt) / 1000) %}",
  "{% $formatDate(payload.createdAt, '[FNn], [D1] [MNn] [Y]') %}",
  "{% $round(payload.total * 100) %}",
  "{% payload.totalCents / 100 %}",
  "{% $formatNumber(payload.totalCents / 100, '#,##0.00') & ' ' & payload.currency %}",
  "{% $default(payload.customer.email, 'orders@example.com') %}",
  "{% $default(payload.coupon, 'NONE') %}",
  "{% payload.customer.firstName & ' ' & payload.customer.lastName %}",
  "{% $substring(payload.customer.firstName, 0, 1) & $substring(payload.customer.lastName, 0, 1) %}",
  "{% $join(payload.items.sku, ', ') %}",
  "{% $uppercase(payload.country) & '-' & $substringAfter(payload.orderId, 'ord_') %}",
  "{% [payload.items.{ 'product': sku, 'quantity': qty, 'amountCents': $round(qty * unitPrice * 100) }] %}",
  "{% payload.total >= 100 ? 'high' : 'normal' %}",
  "{% payload.country in ['PT', 'ES'] ? 'iberia' : 'international' %}",
  "{% payload.customer.tier = 'gold' and payload.total > 50 %}",
  "{% $lookup({ 'PT': 'Portugal', 'BR': 'Brazil', 'US': 'United States' }, payload.country) %}",
  "{% $default($lookup({ 'ES': 'MAD-2', 'FR': 'PAR-1' }, payload.country), 'AMS-1') %}",
  "{% 'https://api.example.com/v2/' & $lowercase(payload.country) & '/orders' %}",
  "{% 'Basic ' & $base64encode($secret('user') & ':' & $secret('password')) %}",
  "{% $hmacSha256(id, $secret('hmacKey')) %}",
  "{% $sha256(payload.orderId) %}",
  "{% payload.total > 50 and $count(payload.items) >= 2 and $not($exists(payload.coupon)) %}",
];

/** The rest of the subset, over the generic fields a, b, c of the random inputs. */
const SUBSET_EXPRESSIONS = [
  "{% a %}",
  "{% a.b %}",
  "{% a.b.c %}",
  "{% $.a.b %}",
  "{% $$.a %}",
  "{% $ %}",
  "{% a.$ %}",
  "{% a + b %}",
  "{% a - b * c %}",
  "{% a % b %}",
  "{% -a %}",
  "{% a & b %}",
  "{% a.b & '' %}",
  "{% a = b %}",
  "{% a != b %}",
  "{% a < b %}",
  "{% a >= b %}",
  "{% a and b %}",
  "{% a or b.c %}",
  "{% a ? b : c %}",
  "{% a ? b %}",
  "{% (a; b) %}",
  "{% () %}",
  "{% [a, b] %}",
  "{% [a, [b], c.a] %}",
  "{% [] %}",
  "{% {'x': a, 'y': b.c} %}",
  "{% {'1': a, 'x': b, '0': c} %}",
  "{% a.{'x': b} %}",
  "{% a.b.{'x': c, 'y': $} %}",
  "{% a.(b + 1) %}",
  "{% a.(b & c) %}",
  "{% a in [1, 'x', true] %}",
  "{% a in b %}",
  "{% $string(a) %}",
  "{% $string(a, true) %}",
  "{% a.$string() %}",
  "{% $number(a) %}",
  "{% $length(a) %}",
  "{% $count(a) %}",
  "{% $count(a.b) %}",
  "{% $sum(a.b) %}",
  "{% $max(a) %}",
  "{% $min(a.b) %}",
  "{% $average(a) %}",
  "{% $join(a, ',') %}",
  "{% $join(a.b) %}",
  "{% $exists(a.b) %}",
  "{% $boolean(a) %}",
  "{% $not(a) %}",
  "{% $keys(a) %}",
  "{% $type(a) %}",
  "{% $lookup(a, 'b') %}",
  "{% $trim(a) %}",
  "{% $substring(a, 1, 2) %}",
  "{% $substringBefore(a, 'x') %}",
  "{% a.b.$uppercase() %}",
  "{% $lowercase(a) %}",
  "{% $round(a, 1) %}",
  "{% $floor(a) %}",
  "{% $ceil(b) %}",
  "{% $abs(a) %}",
  "{% $default(a, 'x') %}",
  "{% $default(a.b, b) %}",
  "{% $sha256(a) %}",
  "{% $hmacSha256(a, 'k') %}",
  "{% $formatDate(a) %}",
  "{% $formatDate(a, '[Y]', b) %}",
  "{% $fromMillis(a) %}",
  "{% $toMillis(a) %}",
  "{% $base64encode(a) %}",
  "{% $encodeUrlComponent(a) %}",
  "{% $formatNumber(a, '#0.00') %}",
  "{% $secret('user') & a %}",
  "{% $secret(a) %}",
  "{% [$secret('user')] %}",
  "{% {'k': $secret('nope')} %}",
  "{% a ? $secret('user') : $secret('missing') %}",
  "{% a.b * 2 %}",
  "{% $sum(a.b.c) / $count(a.b) %}",
];

const CORPUS = [...BENCH_EXPRESSIONS, ...DOCS_EXPRESSIONS, ...SUBSET_EXPRESSIONS];

/** Outside the subset: each is evaluated by JSONata. */
const OUTSIDE = [
  "{% payload.items[0] %}",
  "{% [payload.items[unitPrice > 50].sku] %}",
  "{% $map(a, function($v){ $v * 2 }) %}",
  "{% ($x := 1; $x + a) %}",
  "{% $match(a, /x+/) %}",
  "{% {a: b} %}",
  "{% {'k': 1, 'k': 2} %}",
  "{% a{'k': b} %}",
  "{% $nope(a) %}",
  "{% $now() %}",
  "{% [1..3] %}",
  "{% a.b[] %}",
  "{% a ~> $uppercase %}",
  "{% a.* %}",
  "{% a.**.b %}",
  "{% a^(b) %}",
  "{% a@$x.b %}",
  "{% a#$i.b %}",
  "{% $pad(a, 5) %}",
  "{% $split(a, ',') %}",
  "{% $contains(a, 'x') %}",
  "{% $toMillis(a, '[Y]') %}",
  "{% [$secret('user'), $secret('password')] %}",
  "{% $uppercase %}",
  "{% $string(?) %}",
  "{% $eval('1') %}",
  "{% [1, 2].a %}",
];

const KEYS = ["a", "b", "c", "id", "time", "payload", "orderId", "amount", "value", "currency", "customer"];
const MORE_KEYS = ["email", "items", "qty", "sku", "note", "total", "country", "createdAt", "unitPrice", "tier"];

const scalar = fc.oneof(
  fc.integer({ min: -3000, max: 3000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  fc.constantFrom("", "0", "12", "x", "abc", "EUR", "eur", "PT", "gold", "ord_42", " pad ", "ünï", "a@b.c"),
  fc.constantFrom("2026-01-01T12:00:00Z", "2026-07-01", "2026-03-29T01:30:00+01:00", "nope-date"),
  fc.constantFrom(1_767_225_600_000, 0, 1.5),
  fc.string({ maxLength: 6 }),
  fc.boolean(),
  fc.constant(null),
);
const { value: jsonValue } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", maxDepth: 4 }, scalar, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(fc.constantFrom(...KEYS, ...MORE_KEYS), tie("value"), { maxKeys: 5 }),
}));
/** Events shaped like the real ones (the bench's), each field possibly missing or of another kind. */
const item = fc.record(
  { sku: fc.oneof(fc.constantFrom("A-1", "B-2"), jsonValue), qty: fc.oneof(fc.nat(5), jsonValue), unitPrice: scalar },
  { requiredKeys: [] },
);
const realistic = fc.record(
  {
    id: fc.oneof(fc.constant("evt_1"), scalar),
    time: fc.oneof(fc.constant("2026-01-01T00:00:00.000Z"), scalar),
    a: jsonValue,
    b: jsonValue,
    c: jsonValue,
    payload: fc.record(
      {
        orderId: fc.oneof(fc.constant("ord_42"), scalar),
        amount: fc.record({ value: fc.oneof(fc.nat(5000), scalar), currency: fc.oneof(fc.constant("EUR"), scalar) }),
        customer: fc.record(
          { id: scalar, email: scalar, firstName: scalar, lastName: scalar, tier: scalar },
          { requiredKeys: [] },
        ),
        items: fc.oneof(fc.array(item, { maxLength: 4 }), jsonValue),
        note: scalar,
        total: scalar,
        totalCents: scalar,
        currency: scalar,
        country: fc.oneof(fc.constantFrom("PT", "ES", "BR"), scalar),
        createdAt: scalar,
        coupon: scalar,
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);
/** An event arrives as JSON. */
const input = fc
  .oneof(realistic, fc.dictionary(fc.constantFrom(...KEYS), jsonValue))
  .map((v) => JSON.parse(JSON.stringify(v)));
const evaluateOptions: fc.Arbitrary<EvaluateOptions> = fc.record({
  secrets: fc
    .subarray([
      ["user", "alice-user"],
      ["password", "s3cret"],
      ["hmacKey", "k3y"],
      ["x", "ex"],
    ])
    .map(Object.fromEntries),
  missingSecret: fc.constantFrom("error" as const, "warn" as const),
});

// Generous: the machine is shared, and a time-budget error on one side only is not what is compared here.
const limits = { timeoutMs: 5_000 };
const runtime = new ExpressionRuntime();
const fastOf = (source: string) => new CompiledExpression(source, { runtime, limits });
const jsonataOf = (source: string) => new CompiledExpression(source, { runtime, limits, fastPath: false });

async function outcome(compiled: CompiledExpression, event: unknown, options: EvaluateOptions) {
  try {
    const { value, tainted, secretsRead, missingSecrets, fastPath } = await compiled.evaluate(event, options);
    return { result: { value, tainted, secretsRead, missingSecrets }, fastPath };
  } catch (error) {
    if (!(error instanceof ExpressionFailure)) throw error;
    return { error: { kind: error.kind, message: error.message, secretName: error.secretName }, fastPath: false };
  }
}

/** Compare both on one input; true when the fast path gave the result itself. */
async function agree(fast: CompiledExpression, slow: CompiledExpression, event: unknown, options: EvaluateOptions) {
  const a = await outcome(fast, event, options);
  const b = await outcome(slow, event, options);
  expect(b.fastPath).toBe(false);
  const { fastPath: _a, ...sameA } = a;
  const { fastPath: _b, ...sameB } = b;
  expect(sameA, `${fast.source} on ${JSON.stringify(event)}`).toStrictEqual(sameB);
  return a.fastPath;
}

describe("the fast path gives JSONata's result", () => {
  it("compiles every expression of the corpus (the bench mappings and the docs' examples included)", () => {
    for (const source of CORPUS) expect(fastOf(source).usesFastPath, source).toBe(true);
  });

  it("property: for each expression of the corpus, on any input, the same value, taint, secrets or error", async () => {
    let fast = 0;
    let total = 0;
    for (const source of CORPUS) {
      const compiled = fastOf(source);
      const reference = jsonataOf(source);
      await fc.assert(
        fc.asyncProperty(input, evaluateOptions, async (event, options) => {
          total++;
          if (await agree(compiled, reference, event, options)) fast++;
        }),
        { numRuns: 30 },
      );
    }
    // Most random inputs are valid for most expressions: the fast path itself answered, not only JSONata.
    expect(fast / total).toBeGreaterThan(0.5);
  });

  it("property: random expressions of the subset agree with JSONata on random inputs", async () => {
    const path = fc
      .array(fc.constantFrom("a", "b", "c", "payload", "items", "qty", "$"), { minLength: 1, maxLength: 3 })
      .filter((steps) => steps.indexOf("$") <= 0)
      .map((steps) => steps.join("."));
    const literal = fc.constantFrom("1", "0", "2.5", "-3", "'x'", "''", "'EUR'", "true", "false", "null");
    const { expression } = fc.letrec((tie) => ({
      expression: fc.oneof(
        { depthSize: "small", maxDepth: 4 },
        path,
        literal,
        tie("binary"),
        tie("call"),
        tie("condition"),
        tie("array"),
        tie("object"),
        tie("step"),
      ),
      binary: fc
        .tuple(
          tie("expression"),
          fc.constantFrom("+", "-", "*", "/", "%", "&", "=", "!=", "<", ">=", "and", "or", "in"),
          tie("expression"),
        )
        .map(([l, op, r]) => `(${l} ${op} ${r})`),
      call: fc
        .tuple(
          fc.constantFrom(
            "string",
            "number",
            "sum",
            "count",
            "join",
            "exists",
            "uppercase",
            "length",
            "round",
            "lookup",
            "default",
            "boolean",
            "keys",
            "substring",
            "max",
          ),
          fc.array(tie("expression"), { maxLength: 3 }),
        )
        .map(([name, args]) => `$${name}(${args.join(", ")})`),
      condition: fc
        .tuple(tie("expression"), tie("expression"), fc.option(tie("expression"), { nil: undefined }))
        .map(([c, t, e]) => (e === undefined ? `(${c} ? ${t})` : `(${c} ? ${t} : ${e})`)),
      array: fc.array(tie("expression"), { maxLength: 3 }).map((items) => `[${items.join(", ")}]`),
      object: fc
        .uniqueArray(fc.tuple(fc.constantFrom("k", "v", "1", "b"), tie("expression")), {
          maxLength: 3,
          selector: ([k]) => k,
        })
        .map((pairs) => `{${pairs.map(([k, v]) => `'${k}': ${v}`).join(", ")}}`),
      step: fc.tuple(path, tie("expression")).map(([p, e]) => `${p}.(${e})`),
    }));
    let fast = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        expression,
        fc.array(input, { minLength: 1, maxLength: 3 }),
        evaluateOptions,
        async (text, events, options) => {
          const source = `{% ${text} %}`;
          const compiled = fastOf(source);
          expect(compiled.usesFastPath, source).toBe(true);
          const reference = jsonataOf(source);
          for (const event of events) {
            runs++;
            if (await agree(compiled, reference, event, options)) fast++;
          }
        },
      ),
      { numRuns: 600 },
    );
    expect(fast / runs).toBeGreaterThan(0.25);
  });
});

describe("outside the subset", () => {
  it("predicates, lambdas, $map, regexes, computed keys, unknown functions … are left to JSONata, with its results", async () => {
    const event = { a: "xx", b: { c: 1 }, payload: { items: [{ sku: "A", unitPrice: 60 }] } };
    for (const source of OUTSIDE) {
      const compiled = fastOf(source);
      expect(compiled.usesFastPath, source).toBe(false);
      const { fastPath } = await outcome(compiled, event, {});
      expect(fastPath).toBe(false);
    }
    expect((await fastOf("{% [payload.items[unitPrice > 50].sku] %}").evaluate(event)).value).toEqual(["A"]);
  });

  it("where JSONata fails, it answers with JSONata's error, code and position", async () => {
    const compiled = fastOf("{% a + 1 %}");
    expect(compiled.usesFastPath).toBe(true);
    expect((await compiled.evaluate({ a: 2 })).fastPath).toBe(true);
    await expect(compiled.evaluate({ a: "2" })).rejects.toThrow(
      /^The left side of the "\+" operator must evaluate to a number at character 6$/,
    );
    const secret = fastOf("{% $number($secret('s')) %}");
    await expect(secret.evaluate({}, { secrets: { s: "abc" } })).rejects.toThrow(/JSONata D3030.*details are hidden/);
    await expect(fastOf("{% $secret('nope') %}").evaluate({})).rejects.toThrow('Secret "nope" is not set');
  });

  it("an array as the whole input is left to JSONata (its outer wrapper)", async () => {
    const compiled = fastOf("{% $count($) & a %}");
    const result = await compiled.evaluate([{ a: 1 }, { a: 2 }]);
    expect(result.fastPath).toBe(false);
    expect(result.value).toBe((await jsonataOf("{% $count($) & a %}").evaluate([{ a: 1 }, { a: 2 }])).value);
  });
});

describe("the budgets hold on the fast path", () => {
  it("an expression with as many nodes as the depth budget stays on JSONata", async () => {
    const small = new CompiledExpression("{% a + b + c %}", { limits: { maxDepth: 50 } });
    expect(small.usesFastPath).toBe(true);
    // Eight nodes; JSONata nests four evaluations deep here: within 5, over 3.
    const within = new CompiledExpression("{% a + b + c %}", { limits: { maxDepth: 5 } });
    expect(within.usesFastPath).toBe(false);
    expect((await within.evaluate({ a: 1, b: 2, c: 3 })).value).toBe(6);
    const over = new CompiledExpression("{% a + b + c %}", { limits: { maxDepth: 3 } });
    await expect(over.evaluate({ a: 1, b: 2, c: 3 })).rejects.toThrow(/depth budget \(3\)/);
  });

  it("a sequence over the limit is JSONata's limit error", async () => {
    const source = "{% $count(a.b) %}";
    const options = { limits: { maxSequence: 3 } };
    const event = { a: [{ b: 1 }, { b: 2 }, { b: 3 }, { b: 4 }] };
    const fast = new CompiledExpression(source, options);
    expect(fast.usesFastPath).toBe(true);
    await expect(fast.evaluate(event)).rejects.toMatchObject({ kind: "limit" });
    expect((await fast.evaluate({ a: [{ b: 1 }, { b: 2 }] })).value).toBe(2);
  });

  it("a request whose shared time budget is spent fails as on JSONata", async () => {
    const message = "the request's expressions ran out of their shared time budget (-1.0 ms were left for this one)";
    await expect(fastOf("{% a %}").evaluate({ a: 1 }, { budgetMs: -1 })).rejects.toThrow(message);
    await expect(jsonataOf("{% a %}").evaluate({ a: 1 }, { budgetMs: -1 })).rejects.toThrow(message);
  });

  it("counts its time against the budget", async () => {
    const event = { a: Array.from({ length: 2_000 }, (_, i) => ({ b: i })) };
    const compiled = fastOf("{% $sum(a.b) %}");
    const result = await compiled.evaluate(event);
    expect(result).toMatchObject({ fastPath: true, value: (2_000 * 1_999) / 2 });
    // A microsecond left is less than summing 2,000 values takes. As on JSONata, a step over 5 ms is taken for
    // a pause (GC, a busy machine) and not counted: one attempt of five is enough.
    const failures: unknown[] = [];
    for (let attempt = 0; attempt < 5 && failures.length === 0; attempt++) {
      await compiled.evaluate(event, { budgetMs: 0.001 }).catch((error: unknown) => failures.push(error));
    }
    expect(String(failures[0])).toMatch(/shared time budget/);
  });
});
