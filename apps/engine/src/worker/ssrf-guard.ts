import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from "node:dns";
import type { Socket } from "node:net";
import { checkAddress, type DestinationPolicy, isHostAllowlisted, parseIp } from "@ib/core/ssrf";
import { buildConnector } from "undici";
import type { Env } from "../env.ts";

/** A destination the SSRF policy refuses. Deliveries that hit it become FAILED (permanent). */
export class DestinationRefusedError extends Error {
  readonly code = "DESTINATION_REFUSED";
  /** The policy's rule that refused it: the address class (`loopback`, `private`, `link_local`, ...). */
  constructor(
    message: string,
    readonly rule?: string,
  ) {
    super(message);
    this.name = "DestinationRefusedError";
  }
}

export function destinationPolicy(
  env: Pick<Env, "IB_ALLOW_PRIVATE_DESTINATIONS" | "IB_DESTINATION_ALLOWLIST">,
): DestinationPolicy {
  return { allowPrivate: env.IB_ALLOW_PRIVATE_DESTINATIONS, allowlist: env.IB_DESTINATION_ALLOWLIST };
}

function stripBrackets(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/**
 * Resolves a URL's host and throws `DestinationRefusedError` when the scheme is not http(s) or any
 * address it resolves to is refused by the policy. For previews and early checks; the worker
 * re-checks the address it actually connects to (see `guardedConnect`), so DNS rebinding between this
 * check and the request changes nothing.
 */
export async function assertDestinationAllowed(url: string, policy: DestinationPolicy): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DestinationRefusedError(`destination URL "${url}" is not a valid URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new DestinationRefusedError(`destination URL scheme ${parsed.protocol} is not allowed (use http or https)`);
  }
  const host = stripBrackets(parsed.hostname);
  if (policy.allowPrivate) return;
  const addresses = parseIp(host) ? [host] : await resolveAll(host);
  for (const address of addresses) {
    const verdict = checkAddress(address, policy, host);
    if (!verdict.allowed) throw new DestinationRefusedError(verdict.reason, verdict.class);
  }
}

function resolveAll(host: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => {
      if (err) reject(err);
      else resolve(addresses.map((a) => a.address));
    });
  });
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/tls.connect that resolves as usual, then refuses the connection when any address
 * of the name is refused by the policy (a name that mixes public and private addresses is suspect).
 */
export function guardedLookup(policy: DestinationPolicy) {
  return (
    hostname: string,
    options: LookupAllOptions | { all?: boolean; family?: number },
    callback: LookupCallback,
  ) => {
    dnsLookup(hostname, { ...options, all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, []);
      if (!policy.allowPrivate && !isHostAllowlisted(hostname, policy.allowlist)) {
        for (const a of addresses) {
          const verdict = checkAddress(a.address, policy, hostname);
          if (!verdict.allowed) return callback(new DestinationRefusedError(verdict.reason, verdict.class), []);
        }
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * An undici `connect` function enforcing the SSRF policy at connect time: IP literals are checked before
 * any packet is sent, names through `guardedLookup`, and the socket's actual remote address once more
 * after connecting — so what is judged is the address connected to, not an earlier DNS answer.
 * Use as `new Agent({ connect: guardedConnect(policy, { timeout }) })`.
 */
export function guardedConnect(
  policy: DestinationPolicy,
  options: buildConnector.BuildOptions = {},
): buildConnector.connector {
  const connect = buildConnector({ ...options, lookup: guardedLookup(policy) } as buildConnector.BuildOptions);
  return (opts, callback) => {
    const host = stripBrackets(opts.hostname);
    if (parseIp(host)) {
      const verdict = checkAddress(host, policy, host);
      if (!verdict.allowed) return callback(new DestinationRefusedError(verdict.reason, verdict.class), null);
    }
    return connect(opts, (err, socket) => {
      if (err || !socket) return callback(err ?? new Error("connect failed"), null);
      const remote = (socket as Socket).remoteAddress;
      const verdict = remote ? checkAddress(remote, policy, host) : undefined;
      if (!verdict?.allowed) {
        socket.destroy();
        return callback(
          verdict && !verdict.allowed
            ? new DestinationRefusedError(verdict.reason, verdict.class)
            : new DestinationRefusedError(`could not verify the address connected to for ${host}`),
          null,
        );
      }
      callback(null, socket);
    });
  };
}
