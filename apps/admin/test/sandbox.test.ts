import { describe, expect, it } from "vitest";
import { isSandboxUrl } from "../app/(app)/connectors/_components/sandbox";

describe("isSandboxUrl (Send test asks first for anything else when the connector is enabled)", () => {
  it.each([
    "http://127.0.0.1:4010/hook",
    "http://127.3.2.1/x",
    "http://localhost:3000/",
    "http://[::1]:8080/",
    "https://erp.localhost/orders",
    "https://partner.test/orders",
    "https://api.example/orders",
    "https://nothing.invalid/",
    "https://example.com/x",
    "https://erp.example.org/orders",
    "https://api.sandbox.paypal.com/v1",
    "https://sandbox.asaas.com/api/v3",
    "https://api-sandbox.psp.com/pay",
  ])("%s is a sandbox", (url) => expect(isSandboxUrl(url)).toBe(true));

  it.each([
    "https://api.stripe.com/v1",
    "https://erp.partner.com/orders",
    "http://10.0.0.5/hook",
    "https://127.0.0.1.nip.io/",
    "https://example.com.evil.io/",
    "https://notexample.com/",
    "not a url",
    "https://<<secret.host>>/x",
  ])("%s is live", (url) => expect(isSandboxUrl(url)).toBe(false));
});
