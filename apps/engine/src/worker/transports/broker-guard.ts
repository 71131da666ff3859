import { lookup } from "node:dns/promises";
import { checkAddress, type DestinationPolicy, isHostAllowlisted, parseIp } from "@ib/core/ssrf";
import { DestinationRefusedError } from "../ssrf-guard.ts";

const LOOKUP_TIMEOUT_MS = 5_000;

/**
 * The SSRF policy for a broker host (DESIGN §13): an IP literal is judged as is, a name by every address
 * it resolves to (a name mixing public and private addresses is refused). Throws
 * {@link DestinationRefusedError}; a name that does not resolve throws the resolver's error (a network
 * failure, retried). AMQP re-checks at connect time through `guardedLookup`; NATS connects to the checked
 * server list only (cluster gossip is ignored).
 */
export async function assertBrokerHostAllowed(hostname: string, policy: DestinationPolicy): Promise<void> {
  const host = hostname.replace(/^\[(.*)\]$/, "$1");
  if (policy.allowPrivate) return;
  if (!parseIp(host) && isHostAllowlisted(host, policy.allowlist)) return;
  const addresses = parseIp(host)
    ? [host]
    : await withTimeout(
        lookup(host, { all: true, verbatim: true }).then((list) => list.map((a) => a.address)),
        LOOKUP_TIMEOUT_MS,
      );
  for (const address of addresses) {
    const verdict = checkAddress(address, policy, host);
    if (!verdict.allowed) throw new DestinationRefusedError(`broker host ${host}: ${verdict.reason}`);
  }
}

/** The error `e` or one of its causes, when it is the SSRF guard's refusal. */
export function refusalIn(error: unknown): DestinationRefusedError | undefined {
  let e: unknown = error;
  for (let i = 0; i < 5 && e; i++) {
    if (e instanceof DestinationRefusedError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`DNS lookup timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
