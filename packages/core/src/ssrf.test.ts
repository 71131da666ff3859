import { describe, expect, it } from "vitest";
import {
  checkAddress,
  cidrContains,
  classifyIp,
  isAddressAllowed,
  isHostAllowlisted,
  parseCidr,
  parseIp,
} from "./ssrf.ts";

const strict = { allowPrivate: false, allowlist: [] as string[] };

describe("classifyIp", () => {
  it.each([
    ["8.8.8.8", "public"],
    ["1.1.1.1", "public"],
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "public"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link_local"],
    ["100.64.0.1", "cgnat"],
    ["100.127.255.255", "cgnat"],
    ["100.128.0.1", "public"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["0.0.0.0", "unspecified"],
    ["255.255.255.255", "reserved"],
    ["198.18.0.1", "reserved"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "link_local"],
    ["::ffff:8.8.8.8", "public"],
    ["::127.0.0.1", "loopback"],
    ["::8.8.8.8", "reserved"],
    ["64:ff9b::10.0.0.1", "private"],
    ["64:ff9b::8.8.8.8", "public"],
    ["2002:7f00:0001::", "loopback"],
    ["2002:0808:0808::1", "public"],
    ["fc00::1", "private"],
    ["fd12:3456::1", "private"],
    ["fe80::1", "link_local"],
    ["fe80::1%eth0", "link_local"],
    ["febf::1", "link_local"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "reserved"],
    ["2606:4700:4700::1111", "public"],
    ["2001:4860:4860::8888", "public"],
  ])("%s is %s", (ip, cls) => {
    expect(classifyIp(ip)).toBe(cls);
  });

  it.each([
    "",
    "localhost",
    "1.2.3",
    "1.2.3.4.5",
    "256.1.1.1",
    "0x7f.0.0.1",
    "010.0.0.1",
    "1::2::3",
    "12345::",
    "::ffff:1.2.3.256",
    "1:2:3:4:5:6:7:8:9",
  ])("%j is not an address", (s) => {
    expect(parseIp(s)).toBeUndefined();
    expect(classifyIp(s)).toBeUndefined();
  });

  it("parses full and compressed IPv6 to the same value", () => {
    expect(parseIp("0:0:0:0:0:0:0:1")).toEqual(parseIp("::1"));
    expect(parseIp("2001:db8:0:0:1:0:0:1")).toEqual(parseIp("2001:db8::1:0:0:1"));
    expect(parseIp("::ffff:1.2.3.4")).toEqual({ version: 4, value: 0x01020304n });
  });
});

describe("policy", () => {
  it("refuses every non-public class by default and allows public", () => {
    for (const ip of [
      "127.0.0.1",
      "10.0.0.1",
      "169.254.169.254",
      "100.64.1.1",
      "224.0.0.1",
      "0.0.0.0",
      "::1",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
    ]) {
      const v = checkAddress(ip, strict);
      expect(v.allowed, ip).toBe(false);
      if (!v.allowed) expect(v.reason).toContain("IB_ALLOW_PRIVATE_DESTINATIONS");
    }
    expect(isAddressAllowed("93.184.216.34", strict)).toBe(true);
    expect(isAddressAllowed("not-an-ip", { allowPrivate: true, allowlist: [] })).toBe(false);
  });

  it("allowPrivate admits everything", () => {
    expect(isAddressAllowed("127.0.0.1", { allowPrivate: true, allowlist: [] })).toBe(true);
    expect(isAddressAllowed("::1", { allowPrivate: true, allowlist: [] })).toBe(true);
  });

  it("admits allowlisted CIDRs, bare IPs and hostnames only", () => {
    const policy = {
      allowPrivate: false,
      allowlist: ["10.20.0.0/16", "127.0.0.1", "fd00::/8", "erp.internal", "*.corp.example"],
    };
    expect(isAddressAllowed("10.20.3.4", policy)).toBe(true);
    expect(isAddressAllowed("10.21.0.1", policy)).toBe(false);
    expect(isAddressAllowed("127.0.0.1", policy)).toBe(true);
    expect(isAddressAllowed("::ffff:127.0.0.1", policy)).toBe(true);
    expect(isAddressAllowed("127.0.0.2", policy)).toBe(false);
    expect(isAddressAllowed("fd00::5", policy)).toBe(true);
    expect(isAddressAllowed("192.168.0.9", policy, "ERP.internal.")).toBe(true);
    expect(isAddressAllowed("192.168.0.9", policy, "a.b.corp.example")).toBe(true);
    expect(isAddressAllowed("192.168.0.9", policy, "corp.example")).toBe(false);
    expect(isAddressAllowed("192.168.0.9", policy, "evil.example")).toBe(false);
  });

  it("parses CIDRs strictly", () => {
    expect(parseCidr("10.0.0.0/8")).toEqual({ version: 4, base: 0x0a000000n, prefix: 8 });
    expect(parseCidr("10.0.0.0/33")).toBeUndefined();
    expect(parseCidr("10.0.0.0/x")).toBeUndefined();
    expect(parseCidr("::ffff:10.0.0.0/104")).toEqual({ version: 4, base: 0x0a000000n, prefix: 8 });
    expect(cidrContains("0.0.0.0/0", "8.8.8.8")).toBe(true);
    expect(cidrContains("0.0.0.0/0", "::1")).toBe(false);
    expect(isHostAllowlisted("x.example", ["10.0.0.0/8"])).toBe(false);
  });
});
