import fc from "fast-check";
import type { EvaluateOptions } from "./compile.ts";

// Expressions and random events for fast-path.test.ts: the fast path against JSONata.

/** bench/lib/features-bench.ts FEATURES_MAPPING and bench/lib/expression-bench.ts EXPRESSION_MAPPING, verbatim. */
export const BENCH_EXPRESSIONS = [
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
export const DOCS_EXPRESSIONS = [
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
export const SUBSET_EXPRESSIONS = [
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

export const CORPUS = [...BENCH_EXPRESSIONS, ...DOCS_EXPRESSIONS, ...SUBSET_EXPRESSIONS];

/** Outside the subset: each is evaluated by JSONata. */
export const OUTSIDE = [
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
export const input = fc
  .oneof(realistic, fc.dictionary(fc.constantFrom(...KEYS), jsonValue))
  .map((v) => JSON.parse(JSON.stringify(v)));
export const evaluateOptions: fc.Arbitrary<EvaluateOptions> = fc.record({
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
