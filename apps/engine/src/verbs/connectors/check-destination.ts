import { lookup } from "node:dns/promises";
import { checkAddress, type DestinationPolicy, parseIp } from "@ib/core/ssrf";

const LOOKUP_TIMEOUT_MS = 2_000;

/**
 * Would the SSRF policy let the worker send to this URL? Resolves the host (DNS only, no connection) and
 * judges every address. Returns why not, or null when allowed. A name that does not resolve is reported too.
 */
export async function checkDestination(url: string, policy: DestinationPolicy): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "the destination URL is not a valid URL";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return `the destination scheme ${parsed.protocol} is not allowed (use http or https)`;
  }
  if (policy.allowPrivate) return null;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: string[];
  if (parseIp(host)) {
    addresses = [host];
  } else {
    try {
      addresses = await withTimeout(
        lookup(host, { all: true, verbatim: true }).then((list) => list.map((a) => a.address)),
        LOOKUP_TIMEOUT_MS,
      );
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      return `the destination host ${host} does not resolve (${code}); deliveries will fail until it does`;
    }
  }
  for (const address of addresses) {
    const verdict = checkAddress(address, policy, host);
    if (!verdict.allowed) return verdict.reason;
  }
  return null;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
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
