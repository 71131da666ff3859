import { type NextRequest, NextResponse } from "next/server";
import { z } from "zod";
import { ApiError, engine, SESSION_COOKIE } from "@/lib/engine";
import { cookieOptions } from "@/lib/session";

const SignIn = z.object({ token: z.string().trim().min(1, "Paste a token").max(500) });

function fail(status: number, code: string, message: string) {
  return NextResponse.json({ error: { code, message } }, { status });
}

/** Sign in: the token is checked against the engine, then kept in an httpOnly, SameSite=Strict cookie. */
export async function POST(req: NextRequest) {
  let input: z.infer<typeof SignIn>;
  try {
    input = SignIn.parse(await req.json());
  } catch {
    return fail(400, "VALIDATION_FAILED", "Paste an engine API token to sign in");
  }
  try {
    const me = await engine.me(input.token);
    const res = NextResponse.json(me);
    res.cookies.set(SESSION_COOKIE, input.token, cookieOptions());
    return res;
  } catch (error) {
    if (error instanceof ApiError) {
      if (error.status === 401 || error.status === 403) {
        return fail(401, "UNAUTHORIZED", "The engine does not accept this token (unknown, revoked or mistyped)");
      }
      return fail(error.status, error.code, error.message);
    }
    return fail(503, "UNAVAILABLE", "The engine is not reachable");
  }
}

/** Sign out: forget the cookie. */
export async function DELETE() {
  const res = NextResponse.json({ ok: true });
  res.cookies.set(SESSION_COOKIE, "", { ...cookieOptions(), maxAge: 0 });
  return res;
}
