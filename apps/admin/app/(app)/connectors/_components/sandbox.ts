// "Send test" asks first when it would reach a live system: the connector is enabled and its destination is
// not a sandbox. A sandbox here is a host a real partner's production cannot be behind:
//   - this machine: localhost, *.localhost, 127.0.0.0/8, ::1;
//   - names reserved for testing and documentation (RFC 2606, RFC 6761): *.test, *.example, *.invalid,
//     example.com / .net / .org and their subdomains;
//   - a provider's sandbox host: any label of the name is or contains "sandbox" (api.sandbox.paypal.com,
//     sandbox.asaas.com, api-sandbox.example-psp.com).
// Anything else, and a URL that does not parse, is treated as live.

const RESERVED_SUFFIXES = [".test", ".example", ".invalid", ".localhost"];
const EXAMPLE_DOMAINS = ["example.com", "example.net", "example.org"];

export function isSandboxUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, "");
  } catch {
    return false;
  }
  if (host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host)) return true;
  if (RESERVED_SUFFIXES.some((s) => host.endsWith(s))) return true;
  if (EXAMPLE_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`))) return true;
  return host.split(".").some((label) => label.includes("sandbox"));
}
