import { existsSync, readFileSync } from "node:fs";

/** "0100007F" -> "127.0.0.1" (IPv4 in /proc/net/tcp is little-endian hex). */
function ipv4(hex: string): string {
  return [6, 4, 2, 0].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(".");
}

/** "00000000000000000000000001000000" -> "::1"; an IPv4-mapped address -> "::ffff:a.b.c.d". */
function ipv6(hex: string): string {
  // Four little-endian 32-bit words.
  const bytes = [0, 1, 2, 3].flatMap((w) => {
    const word = hex.slice(w * 8, w * 8 + 8);
    return [6, 4, 2, 0].map((i) => Number.parseInt(word.slice(i, i + 2), 16));
  });
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join(".")}`;
  }
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
  const joined = groups.join(":");
  if (joined === "0:0:0:0:0:0:0:0") return "::";
  return joined.replace(/^(0:)+/, "::").replace(/:(0:)+/, "::");
}

/**
 * The local addresses with a socket listening on `port`, from the kernel's own table (Linux):
 * "127.0.0.1" when bound to loopback only, "0.0.0.0" or "::" when bound to every interface.
 */
export function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const [file, parse] of [
    ["/proc/net/tcp", ipv4],
    ["/proc/net/tcp6", ipv6],
  ] as const) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== "0A") continue; // 0A = LISTEN
      const [address, hexPort] = local.split(":");
      if (address && hexPort && Number.parseInt(hexPort, 16) === port) found.push(parse(address));
    }
  }
  if (!existsSync("/proc/net/tcp")) throw new Error("listeningAddresses needs Linux's /proc/net/tcp");
  return [...new Set(found)].sort();
}
