import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CompiledExpression, type EvaluateOptions, ExpressionFailure } from "./compile.ts";
// The fast path must be indistinguishable from JSONata: for every expression of the subset and any input,
// the same value (undefined and missing fields included), the same taint and secrets, the same error.
import { CORPUS, evaluateOptions, input, OUTSIDE } from "./fast-path.fixtures.ts";
import { ExpressionRuntime } from "./functions.ts";

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
