import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { applyRequestAuth } from "./request-auth.ts";
import { signSigV4 } from "./sigv4.ts";

const credentials = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
const signingDate = new Date("2026-11-22T06:00:00Z");

/** What the official AWS signer produces for the same request. */
async function official(
  req: { method: string; url: string; headers: Record<string, string>; body?: string },
  service: string,
  region: string,
  creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = credentials,
) {
  const url = new URL(req.url);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const signer = new SignatureV4({
    credentials: creds,
    region,
    service,
    sha256: Sha256,
    uriEscapePath: service !== "s3",
    applyChecksum: service === "s3",
  });
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: url.protocol,
      hostname: url.hostname,
      path: url.pathname,
      query,
      headers: { host: url.host, ...req.headers },
      body: req.body,
    },
    { signingDate },
  );
  return signed.headers as Record<string, string>;
}

describe("AWS Signature V4 equals @smithy/signature-v4", () => {
  const cases: {
    title: string;
    service: string;
    region: string;
    req: { method: string; url: string; headers: Record<string, string>; body?: string };
  }[] = [
    {
      title: "S3 PutObject, JSON body",
      service: "s3",
      region: "us-east-1",
      req: {
        method: "PUT",
        url: "https://my-bucket.s3.us-east-1.amazonaws.com/events/evt_01j9z3m4x8.json",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ id: "evt_1", payload: { total: 49.9 } }),
      },
    },
    {
      title: "S3 path-style with odd characters in the key and a query",
      service: "s3",
      region: "eu-west-1",
      req: {
        method: "PUT",
        url: "https://minio.example.com:9000/bucket/a%20b/caf%C3%A9(1).json?x-id=PutObject&b=2&a=1&a=0",
        headers: { "content-type": "text/plain; charset=utf-8", "X-Amz-Meta-Note": "  two   spaces  " },
        body: "hello",
      },
    },
    {
      title: "a non-S3 service (path escaped twice), GET without a body",
      service: "execute-api",
      region: "sa-east-1",
      req: {
        method: "GET",
        url: "https://abc.execute-api.sa-east-1.amazonaws.com/prod/a b/./c/../d?q=%E2%9C%93&z=*",
        headers: {},
      },
    },
  ];

  for (const c of cases) {
    it(c.title, async () => {
      const ours = signSigV4(c.req, { region: c.region, service: c.service, credentials, signingDate });
      const theirs = await official(c.req, c.service, c.region);
      expect(ours.authorization).toBe(theirs.authorization);
      expect(ours["x-amz-date"]).toBe(theirs["x-amz-date"]);
      expect(ours["x-amz-content-sha256"]).toBe(theirs["x-amz-content-sha256"]);
      expect(ours.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/20261122\/[a-z0-9-]+\/[a-z0-9-]+\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
      );
    });
  }

  it("with a session token", async () => {
    const creds = { ...credentials, sessionToken: "FwoGZXIvYXdzEXAMPLETOKEN" };
    const req = {
      method: "PUT",
      url: "https://b.s3.us-west-2.amazonaws.com/k.json",
      headers: { "content-type": "application/json" },
      body: "{}",
    };
    const ours = signSigV4(req, { region: "us-west-2", service: "s3", credentials: creds, signingDate });
    const theirs = await official(req, "s3", "us-west-2", creds);
    expect(ours.authorization).toBe(theirs.authorization);
    expect(ours["x-amz-security-token"]).toBe(creds.sessionToken);
  });

  it("applyRequestAuth signs from connector secrets and masks the credentials in the stored copy", async () => {
    const req = {
      method: "PUT",
      url: "https://my-bucket.s3.us-east-1.amazonaws.com/events/e.json",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    };
    const auth = {
      type: "awsSigV4",
      region: "us-east-1",
      service: "s3",
      accessKeyIdSecret: "accessKeyId",
      secretAccessKeySecret: "secretAccessKey",
    };
    const out = applyRequestAuth(
      req,
      auth,
      { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      { now: signingDate },
    );
    expect(out.headers.authorization).toBe((await official(req, "s3", "us-east-1")).authorization);
    expect(JSON.stringify(out.redactedHeaders)).not.toContain(credentials.accessKeyId);
    expect(out.redactedHeaders.authorization).toMatch(/Signature=\*\*\*\*$/);
    expect(() => applyRequestAuth(req, auth, { accessKeyId: "x" })).toThrow(/Secret "secretAccessKey" is not set/);
  });

  it("basic auth from two secrets", () => {
    const out = applyRequestAuth(
      { method: "POST", url: "https://api.twilio.com/x", headers: { Authorization: "stale" }, body: "a=1" },
      { type: "basic", usernameSecret: "accountSid", passwordSecret: "authToken" },
      { accountSid: "AC123", authToken: "tok" },
    );
    expect(out.headers.Authorization).toBe(`Basic ${Buffer.from("AC123:tok").toString("base64")}`);
    expect(out.redactedHeaders.Authorization).toBe("Basic ****");
    expect(Object.keys(out.headers).filter((h) => h.toLowerCase() === "authorization")).toHaveLength(1);
  });
});
