import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type EventEnvelope, MappingError, renderRequest, SECRET_MASK } from "../render-request.ts";
import { CompiledExpression, ExpressionFailure } from "./compile.ts";
import { CompiledConnectors } from "./compiled-connectors.ts";
import { RequestPlan } from "./plan.ts";
import { checkExpression, expressionFacts, isExpression, MAX_EXPRESSION_LENGTH } from "./syntax.ts";

const event: EventEnvelope = {
  id: "evt_01",
  name: "order.created",
  source: "shop",
  time: "2026-07-01T12:30:00.000Z",
  payload: {
    orderId: "ord_42",
    total: 1234,
    currency: "brl",
    customer: { first: "Ada", last: "Lovelace", phone: null },
    items: [
      { sku: "A-1", qty: 2, price: 500 },
      { sku: "B-2", qty: 1, price: 234 },
    ],
  },
};
const secrets = { user: "alice-user", pass: "s3cret-pass", token: "tok-SECRET-123" };
const destination = { url: "https://erp.example.com/orders", method: "POST" as const };

async function body(mapping: unknown, extra: Partial<Parameters<typeof renderRequest>[0]> = {}) {
  const out = await renderRequest({ destination, mapping, event, secrets, ...extra });
  return { value: JSON.parse(out.request.body ?? "null"), redacted: JSON.parse(out.redacted.body ?? "null"), out };
}

async function mappingError(promise: Promise<unknown>): Promise<MappingError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MappingError);
    return error as MappingError;
  }
  throw new Error("expected a MappingError");
}

describe("expressions in a mapping", () => {
  it("evaluate over the envelope and keep the result's type", async () => {
    const { value } = await body({
      amount: "{% payload.total / 100 %}",
      currency: "{% $uppercase(payload.currency) %}",
      name: "{% payload.customer.first & ' ' & payload.customer.last %}",
      lines: "{% payload.items.{ 'sku': sku, 'quantity': qty } %}",
      sum: "{% $sum(payload.items.(qty * price)) %}",
      big: "{% payload.total > 1000 %}",
      id: "{% id %}",
      name2: "{% name %}",
      when: "{% time %}",
      size: "{% payload.lookup ? 'x' : $lookup({'ord_42': 'gold'}, payload.orderId) %}",
      plain: "$.payload.orderId",
      templated: "Order <<event.payload.orderId>>",
    });
    expect(value).toEqual({
      amount: 12.34,
      currency: "BRL",
      name: "Ada Lovelace",
      lines: [
        { sku: "A-1", quantity: 2 },
        { sku: "B-2", quantity: 1 },
      ],
      sum: 1234,
      big: true,
      id: "evt_01",
      name2: "order.created",
      when: "2026-07-01T12:30:00.000Z",
      size: "gold",
      plain: "ord_42",
      templated: "Order ord_42",
    });
  });

  it("a whole mapping, a URL, a header and a query value can be expressions", async () => {
    const out = await renderRequest({
      destination: {
        url: "{% 'https://api.example.com/orders/' & payload.orderId %}",
        method: "PUT",
        headers: { "X-Total": "{% $string(payload.total) %}" },
        query: { n: "{% $count(payload.items) %}" },
      },
      mapping: "{% { 'order': payload.orderId, 'skus': payload.items.sku } %}",
      event,
      secrets,
    });
    expect(out.request.url).toBe("https://api.example.com/orders/ord_42?n=2");
    expect(out.request.headers["X-Total"]).toBe("1234");
    expect(JSON.parse(out.request.body ?? "")).toEqual({ order: "ord_42", skus: ["A-1", "B-2"] });
    expect(out.redacted).toEqual(out.request);
  });

  it("a missing value leaves the field out, with a warning naming it", async () => {
    const { value, out } = await body({ a: "{% payload.nope %}", b: 1 });
    expect(value).toEqual({ b: 1 });
    expect(out.warnings).toEqual(["mapping.a: the expression gave no value (the field is left out)"]);
  });

  it("text from the event is never evaluated: an event carrying {% … %} arrives literally", async () => {
    const hostile = {
      ...event,
      payload: { note: "{% $secret('token') %}", evalMe: "$secret('token')", tpl: "<<secret.token>>" },
    };
    const out = await renderRequest({
      destination: { ...destination, headers: { "X-Note": "<<event.payload.note>>" } },
      mapping: {
        copied: "$.payload.note",
        viaExpression: "{% payload.note %}",
        interpolated: "note: <<event.payload.note>>",
        joined: "{% payload.note & payload.evalMe & payload.tpl %}",
      },
      event: hostile,
      secrets,
    });
    const sent = JSON.parse(out.request.body ?? "");
    expect(sent).toEqual({
      copied: "{% $secret('token') %}",
      viaExpression: "{% $secret('token') %}",
      interpolated: "note: {% $secret('token') %}",
      joined: "{% $secret('token') %}$secret('token')<<secret.token>>",
    });
    expect(out.request.headers["X-Note"]).toBe("{% $secret('token') %}");
    expect(JSON.stringify(out.request)).not.toContain(secrets.token);
  });

  it("$eval is refused, so event text cannot be compiled through it", async () => {
    expect(checkExpression("{% $eval(payload.code) %}")[0]?.message).toMatch(/\$eval is not allowed/);
    const hostile = { ...event, payload: { code: "$secret('token')" } };
    const error = await mappingError(body({ a: "{% $eval(payload.code) %}" }, { event: hostile }));
    expect(error.message).toContain("mapping.a");
    expect(error.message).toContain("$eval is not allowed");
  });
});

describe("secrets in expressions", () => {
  it("$secret reads a secret; the redacted copy masks any value computed from one", async () => {
    const { value, redacted, out } = await body({
      basic: "{% 'Basic ' & $base64encode($secret('user') & ':' & $secret('pass')) %}",
      upper: "{% $uppercase($secret('token')) %}",
      length: "{% $length($secret('token')) %}",
      plain: "{% payload.orderId %}",
    });
    expect(value.basic).toBe(`Basic ${Buffer.from("alice-user:s3cret-pass").toString("base64")}`);
    expect(value.upper).toBe("TOK-SECRET-123");
    expect(value.length).toBe(14);
    expect(redacted).toEqual({ basic: SECRET_MASK, upper: SECRET_MASK, length: SECRET_MASK, plain: "ord_42" });
    expect(out.secretsUsed).toEqual(["pass", "token", "user"]);
    const shown = JSON.stringify(out.redacted);
    for (const leak of ["alice", "s3cret", "TOK-SECRET", Buffer.from("alice-user:s3cret-pass").toString("base64")]) {
      expect(shown).not.toContain(leak);
    }
  });

  it("a header or a whole URL computed from a secret is masked whole", async () => {
    const out = await renderRequest({
      destination: {
        url: "{% 'https://hooks.example.com/' & $secret('token') %}",
        method: "POST",
        headers: { Authorization: "{% 'Bearer ' & $lowercase($secret('token')) %}" },
      },
      mapping: null,
      event,
      secrets,
    });
    expect(out.request.url).toBe("https://hooks.example.com/tok-SECRET-123");
    expect(out.request.headers.Authorization).toBe("Bearer tok-secret-123");
    expect(out.redacted.url).toBe(SECRET_MASK);
    expect(out.redacted.headers.Authorization).toBe(SECRET_MASK);
  });

  it("$secret passed as a value (to $map) still reads and taints; an expression not mentioning it cannot", async () => {
    const { value, redacted } = await body({ viaMap: "{% $map(['token'], $secret) %}" });
    expect(value.viaMap).toBe(secrets.token);
    expect(redacted.viaMap).toBe(SECRET_MASK);
    expect(expressionFacts("{% $map(['token'], $secret) %}")?.readsSecrets).toBe(true);
    // Without a mention of $secret the function is not bound at all.
    const error = await mappingError(body({ sneaky: "{% ($f := $lookup({}, 'x'); $f('token')) %}" }));
    expect(error.code).toBe("EXPRESSION_ERROR");
  });

  it("keys named __proto__ in a mapping with expressions stay ordinary keys", async () => {
    const mapping = JSON.parse('{"__proto__": {"x": "{% id %}"}, "a": {"b": "{% name %}", "c": 1}}');
    const { value } = await body(mapping);
    expect(value).toEqual(JSON.parse('{"__proto__": {"x": "evt_01"}, "a": {"b": "order.created", "c": 1}}'));
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(mapping.a.b).toBe("{% name %}");
  });

  it("a secret not set fails the delivery naming it, and is a warning in preview", async () => {
    const error = await mappingError(body({ a: "{% $secret('nope') %}" }));
    expect(error.code).toBe("MISSING_SECRET");
    expect(error.message).toContain('"nope"');
    const preview = await body({ a: "{% $secret('nope') %}" }, { missingSecret: "warn" });
    expect(preview.value).toEqual({ a: "" });
    expect(preview.out.missingSecrets).toEqual(["nope"]);
    expect(preview.out.warnings[0]).toMatch(/Secret "nope" is not set/);
  });

  it("an error after reading a secret hides JSONata's message (it may quote the value)", async () => {
    const error = await mappingError(body({ n: "{% $number($secret('token')) %}" }));
    expect(error.code).toBe("EXPRESSION_ERROR");
    expect(error.message).toContain("mapping.n");
    expect(error.message).toContain("details are hidden");
    expect(error.message).not.toContain("tok-");
  });

  it("taint is per evaluation: concurrent evaluations of one compiled expression do not share it", async () => {
    const compiled = new CompiledExpression("{% payload.useSecret ? $secret('token') : payload.orderId %}");
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        compiled.evaluate({ payload: { useSecret: i % 2 === 0, orderId: `o${i}` } }, { secrets }),
      ),
    );
    for (const [i, result] of results.entries()) {
      expect(result.tainted).toBe(i % 2 === 0);
      expect(result.value).toBe(i % 2 === 0 ? secrets.token : `o${i}`);
    }
  });

  it("property: no spelling of a secret, nor its base64 or upper case, reaches the redacted request", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 6, maxLength: 40 }), async (secret) => {
        const derived = [secret, Buffer.from(secret).toString("base64"), secret.toUpperCase(), JSON.stringify(secret)];
        const out = await renderRequest({
          destination: { ...destination, headers: { A: "{% $base64encode($secret('s')) %}" } },
          mapping: { a: "{% $secret('s') %}", b: "{% $uppercase($secret('s')) %}", c: ["{% [$secret('s')] %}"] },
          event,
          secrets: { s: secret },
        });
        const shown = JSON.stringify(out.redacted);
        for (const value of derived) {
          if (value.length >= 6 && !shown.includes(value)) continue;
          if (value.length >= 6) expect.fail(`redacted request contains ${value}`);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("bounded evaluation", () => {
  it("a runaway tail recursion stops quickly with LIMIT_EXCEEDED naming the field", async () => {
    const started = performance.now();
    const error = await mappingError(body({ loop: "{% ($f := function($n){$f($n+1)}; $f(0)) %}" }));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error.code).toBe("LIMIT_EXCEEDED");
    expect(error.message).toMatch(/^mapping\.loop: the expression ran longer than its time budget \(50 ms/);
  });

  it("a huge $map stops on the time budget; a huge range on the sequence limit", async () => {
    const started = performance.now();
    const map = await mappingError(body({ m: "{% $count($map([1..900000], function($v){$v * 2})) %}" }));
    expect(map.code).toBe("LIMIT_EXCEEDED");
    expect(map.message).toContain("mapping.m");
    const range = await mappingError(body({ r: "{% $count([1..5000000]) %}" }));
    expect(range.code).toBe("LIMIT_EXCEEDED");
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it("a deep recursion stops on the depth budget", async () => {
    const error = await mappingError(
      body({ deep: "{% ($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000)) %}" }),
    );
    expect(error.code).toBe("LIMIT_EXCEEDED");
    expect(error.message).toMatch(/mapping\.deep: .*depth budget/);
  });

  it("budgets are configurable per owner, and legitimate recursion within them works", async () => {
    const compiled = new CompiledExpression("{% ($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(20)) %}", {
      limits: { maxDepth: 1_000 },
    });
    expect((await compiled.evaluate({})).value).toBe(20);
    const tight = new CompiledExpression("{% ($f := function($n){$f($n+1)}; $f(0)) %}", { limits: { timeoutMs: 5 } });
    const started = performance.now();
    await expect(tight.evaluate({})).rejects.toBeInstanceOf(ExpressionFailure);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("all expressions of one request share a total budget", async () => {
    const plan = RequestPlan.compile(
      {
        destination,
        mapping: Object.fromEntries(
          Array.from({ length: 10 }, (_, i) => [`f${i}`, "{% ($f := function($n){$f($n+1)}; $f(0)) %}"]),
        ),
      },
      { limits: { timeoutMs: 1_000 }, requestTimeoutMs: 60 },
    );
    const started = performance.now();
    const error = await mappingError(renderRequest({ destination, mapping: {}, event, secrets, plan }));
    expect(error.message).toContain("mapping.f0");
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("a runtime error names the field and the position", async () => {
    const error = await mappingError(body({ items: [{ x: "{% $number('abc') %}" }] }));
    expect(error.code).toBe("EXPRESSION_ERROR");
    expect(error.message).toMatch(/^mapping\.items\[0\]\.x: Unable to cast value to a number: "abc" at character \d+/);
  });

  it("a stored expression that does not parse fails the render naming the field", async () => {
    const error = await mappingError(body({ a: "{% payload.( %}" }));
    expect(error.code).toBe("EXPRESSION_ERROR");
    expect(error.message).toMatch(/^mapping\.a: syntax error at character \d+/);
  });
});

describe("compiled once per connector version", () => {
  it("CompiledConnectors reuses a plan until the version changes", () => {
    const compiled = new CompiledConnectors();
    const connector = { id: "con_1", version: 1, destination, mapping: { a: "{% id %}" } };
    const first = compiled.plan(connector);
    expect(compiled.plan({ ...connector })).toBe(first);
    expect(first.size).toBe(1);
    const next = compiled.plan({ ...connector, version: 2, mapping: { a: "{% id %}", b: "{% name %}" } });
    expect(next).not.toBe(first);
    expect(next.size).toBe(2);
    expect(compiled.filter({ id: "con_1", version: 2, filter: null })).toBe(
      compiled.filter({ id: "con_1", version: 2 }),
    );
  });
});

describe("save-time checks", () => {
  it("recognises {% … %} strings only when they are the whole string", () => {
    expect(isExpression("{% id %}")).toBe(true);
    expect(isExpression("x {% id %}")).toBe(false);
    expect(isExpression("{% id %} ")).toBe(false);
    expect(isExpression("{%%}")).toBe(true);
  });

  it("reports syntax errors with their position in the whole string", () => {
    const [problem] = checkExpression("{% payload.( %}");
    expect(problem?.message).toMatch(/^syntax error at character \d+: /);
    expect(problem?.position).toBeGreaterThan(2);
    expect(checkExpression("{%  %}")[0]?.message).toBe("the expression is empty");
  });

  it("reports unknown functions; JSONata's, ours and self-defined ones are fine", () => {
    expect(checkExpression("{% $nope(1) %}")).toEqual([
      { message: "unknown function $nope (at character 4)", position: 4 },
    ]);
    expect(checkExpression("{% $uppercase(name) & $formatDate(time, '[Y]') & $sha256('x') %}")).toEqual([]);
    expect(checkExpression("{% ($twice := function($x){$x*2}; $twice(2)) %}")).toEqual([]);
    expect(checkExpression("{% $map([1], function($v, $i, $fn){ $fn }) %}")).toEqual([]);
    expect(checkExpression("{% payload ~> $mystery() %}")[0]?.message).toMatch(/unknown function \$mystery/);
  });

  it("refuses an expression over 16 KiB", () => {
    const long = `{% '${"x".repeat(MAX_EXPRESSION_LENGTH)}' %}`;
    expect(checkExpression(long)[0]?.message).toMatch(/characters long; the limit is 16384/);
  });

  it("finds the secrets an expression names", () => {
    expect(expressionFacts("{% $secret('b') & $secret('a') & payload.x %}")).toEqual({
      secrets: ["a", "b"],
      readsSecrets: true,
    });
    expect(expressionFacts("{% payload.x %}")).toEqual({ secrets: [], readsSecrets: false });
  });
});

describe("property: an expression copying a payload value gives it back, type and all", () => {
  it("holds for any JSON object or scalar", async () => {
    const compiled = new CompiledExpression("{% payload.v %}");
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (v) => {
        // A path that ends on an array maps over it (JSONata's sequences): objects and scalars come back as they are.
        fc.pre(v !== null && !Array.isArray(v));
        const normalised = JSON.parse(JSON.stringify(v));
        const { value } = await compiled.evaluate({ payload: { v: normalised } });
        expect(value).toEqual(normalised);
      }),
      { numRuns: 200 },
    );
  });
});
