import { z } from "zod";
import { signSigV4 } from "./sigv4.ts";

/**
 * Request authentication that a header template cannot express, applied to the rendered request
 * right before it is sent (after every other header is set, since a signature covers headers).
 * Each kind names the connector secrets it reads; their values never reach a stored request.
 */

export const AwsSigV4AuthSchema = z
  .object({
    type: z.literal("awsSigV4"),
    region: z.string().min(1).max(64),
    service: z.string().min(1).max(64),
    accessKeyIdSecret: z.string().min(1).max(100),
    secretAccessKeySecret: z.string().min(1).max(100),
    sessionTokenSecret: z.string().min(1).max(100).optional(),
  })
  .strict();

export const BasicAuthSchema = z
  .object({
    type: z.literal("basic"),
    usernameSecret: z.string().min(1).max(100),
    passwordSecret: z.string().min(1).max(100),
  })
  .strict();

export const ConnectorAuthSchema = z.discriminatedUnion("type", [AwsSigV4AuthSchema, BasicAuthSchema]);
export type ConnectorAuth = z.infer<typeof ConnectorAuthSchema>;

export interface AuthRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export class RequestAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RequestAuthError";
  }
}

/** The secret names an auth block reads (to check they are set, or to list them in a preset). */
export function authSecretNames(auth: ConnectorAuth): string[] {
  if (auth.type === "basic") return [auth.usernameSecret, auth.passwordSecret];
  return [
    auth.accessKeyIdSecret,
    auth.secretAccessKeySecret,
    ...(auth.sessionTokenSecret ? [auth.sessionTokenSecret] : []),
  ];
}

function secret(secrets: Record<string, string>, name: string): string {
  const value = secrets[name];
  if (typeof value !== "string" || value === "") {
    throw new RequestAuthError(`Secret "${name}" is not set on this connector (needed by its auth)`);
  }
  return value;
}

/**
 * Returns the headers to send (`request`) and the same headers with the credentials masked
 * (`redacted`, safe to store). `auth` null/undefined: the headers unchanged.
 */
export function applyRequestAuth(
  req: AuthRequest,
  auth: unknown,
  secrets: Record<string, string>,
  { now = new Date(), mask = "****" }: { now?: Date; mask?: string } = {},
): { headers: Record<string, string>; redactedHeaders: Record<string, string> } {
  if (auth === null || auth === undefined) return { headers: req.headers, redactedHeaders: req.headers };
  const parsed = ConnectorAuthSchema.safeParse(auth);
  if (!parsed.success) {
    throw new RequestAuthError(`Invalid connector auth: ${parsed.error.issues[0]?.message ?? "unknown shape"}`);
  }
  const spec = parsed.data;
  if (spec.type === "basic") {
    const token = Buffer.from(
      `${secret(secrets, spec.usernameSecret)}:${secret(secrets, spec.passwordSecret)}`,
      "utf8",
    ).toString("base64");
    const headers = withoutHeader(req.headers, "authorization");
    return {
      headers: { ...headers, Authorization: `Basic ${token}` },
      redactedHeaders: { ...headers, Authorization: `Basic ${mask}` },
    };
  }
  const sessionToken = spec.sessionTokenSecret ? secret(secrets, spec.sessionTokenSecret) : undefined;
  const credentials = {
    accessKeyId: secret(secrets, spec.accessKeyIdSecret),
    secretAccessKey: secret(secrets, spec.secretAccessKeySecret),
    ...(sessionToken ? { sessionToken } : {}),
  };
  const headers = signSigV4(
    { method: req.method, url: req.url, headers: req.headers, body: req.body },
    { region: spec.region, service: spec.service, credentials, signingDate: now },
  );
  // The access key id is an identifier, not a credential, but it still names the account: mask it too.
  const redactedHeaders = { ...headers };
  redactedHeaders.authorization = (headers.authorization ?? "")
    .replace(credentials.accessKeyId, mask)
    .replace(/Signature=[0-9a-f]+/, `Signature=${mask}`);
  if (redactedHeaders["x-amz-security-token"]) redactedHeaders["x-amz-security-token"] = mask;
  return { headers, redactedHeaders };
}

function withoutHeader(headers: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([h]) => h.toLowerCase() !== name));
}
