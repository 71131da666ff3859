/**
 * Pure IP classification and the destination policy used against SSRF. No DNS here: the engine resolves
 * names (and checks the address it actually connects to) and asks this module about each address.
 */

export type IpClass =
  | "public"
  | "loopback"
  | "private"
  | "link_local"
  | "cgnat"
  | "multicast"
  | "unspecified"
  | "reserved";

export interface ParsedIp {
  version: 4 | 6;
  /** 32-bit (v4) or 128-bit (v6) value. IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is returned as v4. */
  value: bigint;
}

export interface DestinationPolicy {
  /** `IB_ALLOW_PRIVATE_DESTINATIONS=1`: every address is allowed. */
  allowPrivate: boolean;
  /** `IB_DESTINATION_ALLOWLIST` entries: hostnames (`erp.internal`, `*.corp.example`) or CIDRs / IPs. */
  allowlist: readonly string[];
}

export type AddressVerdict =
  | { allowed: true; class: IpClass }
  | { allowed: false; class: IpClass | "invalid"; reason: string };

const V4_RANGES: ReadonlyArray<readonly [string, number, IpClass]> = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "cgnat"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link_local"], // includes the cloud metadata address 169.254.169.254
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"],
  ["192.0.2.0", 24, "reserved"],
  ["192.88.99.0", 24, "reserved"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "reserved"],
  ["198.51.100.0", 24, "reserved"],
  ["203.0.113.0", 24, "reserved"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"], // includes the broadcast address 255.255.255.255
];

const V6_RANGES: ReadonlyArray<readonly [string, number, IpClass]> = [
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["64:ff9b:1::", 48, "private"], // local-use NAT64
  ["100::", 64, "reserved"], // discard-only
  ["2001::", 23, "reserved"], // IETF protocol assignments (Teredo, ORCHID, ...)
  ["2001:db8::", 32, "reserved"], // documentation
  ["fc00::", 7, "private"], // unique local
  ["fe80::", 10, "link_local"],
  ["fec0::", 10, "private"], // deprecated site-local
  ["ff00::", 8, "multicast"],
];

type Cidr = { version: 4 | 6; base: bigint; prefix: number };

const V4_TABLE = V4_RANGES.map(([ip, prefix, cls]) => ({ cidr: mustCidr(`${ip}/${prefix}`), cls }));
const V6_TABLE = V6_RANGES.map(([ip, prefix, cls]) => ({ cidr: mustCidr(`${ip}/${prefix}`), cls }));

/** Parses an IPv4 or IPv6 literal (brackets and a `%zone` suffix are accepted). Undefined when invalid. */
export function parseIp(input: string): ParsedIp | undefined {
  let s = input.trim();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  if (s.includes(":")) {
    const v6 = parseV6(s);
    if (v6 === undefined) return undefined;
    // ::ffff:a.b.c.d is an IPv4 address in IPv6 clothing: judge it as the IPv4 address it reaches.
    if (v6 >> 32n === 0xffffn) return { version: 4, value: v6 & 0xffffffffn };
    return { version: 6, value: v6 };
  }
  const v4 = parseV4(s);
  return v4 === undefined ? undefined : { version: 4, value: v4 };
}

export function isIpLiteral(input: string): boolean {
  return parseIp(input) !== undefined;
}

/** Classifies an address; addresses that embed an IPv4 address (mapped, compatible, NAT64, 6to4) take its class. */
export function classifyIp(input: string | ParsedIp): IpClass | undefined {
  const ip = typeof input === "string" ? parseIp(input) : input;
  if (!ip) return undefined;
  if (ip.version === 4) return classifyV4(ip.value);
  const v = ip.value;
  if (v === 0n) return "unspecified";
  if (v === 1n) return "loopback";
  // 64:ff9b::a.b.c.d (well-known NAT64 prefix) reaches a.b.c.d
  if (v >> 32n === 0x0064ff9b_00000000_00000000n) return classifyV4(v & 0xffffffffn);
  // ::a.b.c.d (deprecated IPv4-compatible) is never a legitimate destination; keep the embedded class if worse
  if (v >> 32n === 0n) {
    const embedded = classifyV4(v & 0xffffffffn);
    return embedded === "public" ? "reserved" : embedded;
  }
  // 2002:aabb:ccdd::/48 is 6to4 for aa.bb.cc.dd
  if (v >> 112n === 0x2002n) return classifyV4((v >> 80n) & 0xffffffffn);
  for (const { cidr, cls } of V6_TABLE) if (inCidr(v, cidr)) return cls;
  return "public";
}

function classifyV4(v: bigint): IpClass {
  for (const { cidr, cls } of V4_TABLE) if (inCidr(v, cidr)) return cls;
  return "public";
}

/** Parses `10.0.0.0/8`, `fd00::/8` or a bare address (a /32 or /128). */
export function parseCidr(input: string): Cidr | undefined {
  const [addr, bits, ...rest] = input.trim().split("/");
  if (rest.length > 0 || addr === undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const width = ip.version === 4 ? 32 : 128;
  let prefix = width;
  if (bits !== undefined) {
    if (!/^\d{1,3}$/.test(bits)) return undefined;
    prefix = Number(bits);
    // an IPv4-mapped CIDR (::ffff:10.0.0.0/104) is an IPv4 CIDR
    if (ip.version === 4 && addr.includes(":")) prefix -= 96;
    if (prefix < 0 || prefix > width) return undefined;
  }
  const mask = prefixMask(prefix, width);
  return { version: ip.version, base: ip.value & mask, prefix };
}

export function cidrContains(cidr: string, address: string): boolean {
  const c = parseCidr(cidr);
  const ip = parseIp(address);
  if (!c || !ip || c.version !== ip.version) return false;
  return inCidr(ip.value, c);
}

/**
 * The policy decision for one resolved address. `hostname` is the name the destination URL used, so an
 * allowlisted hostname admits whatever private address it resolves to.
 */
export function checkAddress(ip: string, policy: DestinationPolicy, hostname?: string): AddressVerdict {
  const parsed = parseIp(ip);
  if (!parsed) return { allowed: false, class: "invalid", reason: `"${ip}" is not an IP address` };
  const cls = classifyIp(parsed)!;
  if (cls === "public" || policy.allowPrivate) return { allowed: true, class: cls };
  if (hostname && isHostAllowlisted(hostname, policy.allowlist)) return { allowed: true, class: cls };
  for (const entry of policy.allowlist) {
    const c = parseCidr(entry);
    if (c && c.version === parsed.version && inCidr(parsed.value, c)) return { allowed: true, class: cls };
  }
  const what = cls.replace("_", "-");
  return {
    allowed: false,
    class: cls,
    reason: `destination address ${ip}${hostname && hostname !== ip ? ` (of ${hostname})` : ""} is ${what}; set IB_ALLOW_PRIVATE_DESTINATIONS=1 or add it to IB_DESTINATION_ALLOWLIST to allow it`,
  };
}

export function isAddressAllowed(ip: string, policy: DestinationPolicy, hostname?: string): boolean {
  return checkAddress(ip, policy, hostname).allowed;
}

/** Hostname entries match exactly (case-insensitive); `*.example.com` matches any subdomain of it. */
export function isHostAllowlisted(hostname: string, allowlist: readonly string[]): boolean {
  const host = normalizeHost(hostname);
  for (const raw of allowlist) {
    const entry = normalizeHost(raw);
    if (!entry || parseCidr(entry)) continue;
    if (entry === host) return true;
    if (entry.startsWith("*.") && host.endsWith(entry.slice(1)) && host.length > entry.length - 1) return true;
  }
  return false;
}

function normalizeHost(h: string): string {
  let s = h.trim().toLowerCase();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  return s.endsWith(".") ? s.slice(0, -1) : s;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    // strict dotted decimal: no octal (010), hex (0x7f) or short forms, which resolvers read differently
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let text = s;
  // a trailing dotted IPv4 part (::ffff:1.2.3.4) stands for the last two groups
  const lastColon = text.lastIndexOf(":");
  const lastPart = text.slice(lastColon + 1);
  if (lastPart.includes(".")) {
    const v4 = parseV4(lastPart);
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const doubles = text.split("::");
  if (doubles.length > 2) return undefined;
  const groups = (part: string | undefined): bigint[] | undefined => {
    if (!part) return [];
    const out: bigint[] = [];
    for (const g of part.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(BigInt(`0x${g}`));
    }
    return out;
  };
  const head = groups(doubles[0]);
  const rest = doubles.length === 2 ? groups(doubles[1]) : [];
  if (!head || !rest) return undefined;
  const explicit = head.length + rest.length;
  let all: bigint[];
  if (doubles.length === 2) {
    if (explicit > 7) return undefined;
    all = [...head, ...new Array<bigint>(8 - explicit).fill(0n), ...rest];
  } else {
    if (explicit !== 8) return undefined;
    all = head;
  }
  let v = 0n;
  for (const g of all) v = (v << 16n) | g;
  return v;
}

function prefixMask(prefix: number, width: number): bigint {
  if (prefix === 0) return 0n;
  const all = (1n << BigInt(width)) - 1n;
  return (all >> BigInt(width - prefix)) << BigInt(width - prefix);
}

function inCidr(value: bigint, cidr: Cidr): boolean {
  const mask = prefixMask(cidr.prefix, cidr.version === 4 ? 32 : 128);
  return (value & mask) === cidr.base;
}

function mustCidr(s: string): Cidr {
  const c = parseCidr(s);
  if (!c) throw new Error(`bad built-in CIDR ${s}`);
  return c;
}
