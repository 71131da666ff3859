import { randomFillSync } from "node:crypto";

export const ID_PREFIXES = {
  connector: "con",
  secret: "sec",
  event: "evt",
  delivery: "dlv",
  attempt: "att",
  request: "req",
  token: "tok",
  source: "src",
  webhook: "whk",
  registry: "reg",
  audit: "aud",
  /** A test send from the editor (its `Idempotency-Key` / `webhook-id`; it is no delivery). */
  testSend: "tst",
  replay: "rpl",
  expectation: "exp",
  unexpected: "unx",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

let lastTime = 0;
let lastRandom: Uint8Array = new Uint8Array(10);

/**
 * `con_01j9…`: a prefix naming the kind, then a ULID (48-bit ms time + 80 random bits) so ids sort by
 * creation time, which keyset pagination relies on. Within one millisecond the random part is
 * incremented, so ids made by one process are strictly increasing.
 */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${ulid()}`;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The request id to use: the caller's `x-request-id` when it is sane, else a fresh `req_…`. */
export function requestIdFrom(incoming: string | null | undefined): string {
  return incoming && REQUEST_ID.test(incoming) ? incoming : newId("request");
}

export function ulid(now = Date.now()): string {
  let random: Uint8Array;
  if (now <= lastTime) {
    random = increment(lastRandom);
    now = lastTime;
  } else {
    random = freshRandom();
  }
  lastTime = now;
  lastRandom = random;
  return encodeTime(now) + encodeRandom(random);
}

// Random bytes come from a pool refilled 4 KiB at a time: one `randomBytes(10)` per id was a system call and a
// buffer each, a measurable part of a single-event ingest (which makes an event id and a delivery id).
const POOL = new Uint8Array(4096);
let poolAt = POOL.length;

function freshRandom(): Uint8Array {
  if (poolAt + 10 > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  poolAt += 10;
  return POOL.slice(poolAt - 10, poolAt);
}

/** 48-bit milliseconds as ten base32 characters, most significant first (so text order is time order). */
export function encodeTime(ms: number): string {
  let time = "";
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time;
}

function increment(bytes: Uint8Array): Uint8Array {
  const next = new Uint8Array(bytes);
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i] === 255) {
      next[i] = 0;
    } else {
      next[i] = (next[i] as number) + 1;
      break;
    }
  }
  return next;
}

function encodeRandom(bytes: Uint8Array): string {
  // 80 bits -> 16 base32 characters
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}
