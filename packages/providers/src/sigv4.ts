import { createHash, createHmac } from "node:crypto";

/**
 * AWS Signature Version 4 (header form), for S3-compatible storage and other AWS-style APIs.
 * Follows the same canonicalisation as the official signer (`@smithy/signature-v4`), which the tests
 * compare against byte for byte: headers lower-cased, whitespace folded, hop-by-hop headers unsigned;
 * query keys sorted and RFC 3986 encoded; for S3 the path is used as sent and the payload hash goes in
 * `x-amz-content-sha256`.
 */

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SigV4Request {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

export interface SigV4Options {
  region: string;
  service: string;
  credentials: SigV4Credentials;
  /** Defaults to now. */
  signingDate?: Date;
  /** Escape the path a second time (true for every AWS service except S3, as the AWS SDKs do). */
  uriEscapePath?: boolean;
  /** Send the payload hash as `x-amz-content-sha256` (S3 requires it). */
  applyChecksum?: boolean;
}

export const SIGV4_ALGORITHM = "AWS4-HMAC-SHA256";
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// Headers a proxy or the HTTP stack may change on the way: signing them would break the signature.
const UNSIGNABLE = new Set([
  "authorization",
  "cache-control",
  "connection",
  "expect",
  "from",
  "keep-alive",
  "max-forwards",
  "pragma",
  "referer",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "user-agent",
  "x-amzn-trace-id",
]);
// Set by the signer itself; a stale copy from the caller is dropped.
const GENERATED = new Set(["authorization", "x-amz-date", "date"]);

/** RFC 3986 escaping as AWS wants it (encodeURIComponent leaves `!'()*` alone). */
export function awsEscape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

function amzDate(date: Date): { longDate: string; shortDate: string } {
  const longDate = date
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
  return { longDate, shortDate: longDate.slice(0, 8) };
}

function canonicalPath(pathname: string, uriEscapePath: boolean): string {
  if (!uriEscapePath) return pathname;
  const segments: string[] = [];
  for (const segment of pathname.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const normalized = `${pathname.startsWith("/") ? "/" : ""}${segments.join("/")}${
    segments.length > 0 && pathname.endsWith("/") ? "/" : ""
  }`;
  return awsEscape(normalized).replace(/%2F/g, "/");
}

function canonicalQuery(url: URL): string {
  const byKey = new Map<string, string[]>();
  for (const [key, value] of url.searchParams) {
    if (key.toLowerCase() === "x-amz-signature") continue;
    const list = byKey.get(key) ?? [];
    list.push(value);
    byKey.set(key, list);
  }
  const parts: { key: string; text: string }[] = [];
  for (const [key, values] of byKey) {
    const k = awsEscape(key);
    const text = values
      .map((v) => `${k}=${awsEscape(v)}`)
      .sort()
      .join("&");
    parts.push({ key: k, text });
  }
  return parts
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((p) => p.text)
    .join("&");
}

/**
 * Sign a request: returns its headers with `host`, `x-amz-date`, (`x-amz-security-token`,
 * `x-amz-content-sha256`) and `authorization` added. Headers added after signing are not covered
 * by the signature, so sign last.
 */
export function signSigV4(request: SigV4Request, options: SigV4Options): Record<string, string> {
  const url = new URL(request.url);
  const service = options.service;
  const uriEscapePath = options.uriEscapePath ?? service !== "s3";
  const applyChecksum = options.applyChecksum ?? service === "s3";
  const { longDate, shortDate } = amzDate(options.signingDate ?? new Date());
  const { credentials, region } = options;

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (!GENERATED.has(name.toLowerCase())) headers[name] = value;
  }
  if (!Object.keys(headers).some((h) => h.toLowerCase() === "host")) headers.host = url.host;
  headers["x-amz-date"] = longDate;
  if (credentials.sessionToken) headers["x-amz-security-token"] = credentials.sessionToken;

  const existingHash = Object.entries(headers).find(([h]) => h.toLowerCase() === "x-amz-content-sha256")?.[1];
  const payloadHash = existingHash ?? (request.body === undefined ? EMPTY_SHA256 : sha256Hex(request.body));
  if (!existingHash && applyChecksum) headers["x-amz-content-sha256"] = payloadHash;

  const canonicalHeaders = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (UNSIGNABLE.has(lower) || lower.startsWith("proxy-") || lower.startsWith("sec-")) continue;
    canonicalHeaders.set(
      lower,
      value
        .replace(/[\r\n]/g, " ")
        .replace(/[ \t]+/g, " ")
        .replace(/^ | $/g, ""),
    );
  }
  const signedNames = [...canonicalHeaders.keys()].sort();
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(url.pathname, uriEscapePath),
    canonicalQuery(url),
    signedNames.map((n) => `${n}:${canonicalHeaders.get(n)}`).join("\n"),
    "",
    signedNames.join(";"),
    payloadHash,
  ].join("\n");

  const scope = `${shortDate}/${region}/${service}/aws4_request`;
  const stringToSign = [SIGV4_ALGORITHM, longDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const kDate = hmac(`AWS4${credentials.secretAccessKey}`, shortDate);
  const kSigning = hmac(hmac(hmac(kDate, region), service), "aws4_request");
  const signature = createHmac("sha256", kSigning).update(stringToSign, "utf8").digest("hex");

  headers.authorization =
    `${SIGV4_ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedNames.join(";")}, Signature=${signature}`;
  return headers;
}
