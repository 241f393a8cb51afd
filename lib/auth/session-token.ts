import { encode } from "next-auth/jwt";
import { isRole, type Role } from "./roles";
import { isUserId } from "./users";

/** The session cookie next-auth sets over plain http (over https it carries the `__Secure-` prefix). */
export const SESSION_COOKIE = "next-auth.session-token";
export const SECURE_SESSION_COOKIE = "__Secure-next-auth.session-token";

/** What faceloop keeps in its session JWT. The role is a hint for display; guards read the database. */
export interface SessionClaims {
  sub: string;
  email: string;
  name: string | null;
  role: Role;
}

/**
 * A session token exactly as a sign-in would produce it, for tests and benchmarks that need a signed-in client
 * without going through the sign-in form. Send it as the `next-auth.session-token` cookie (or as
 * `Authorization: Bearer <token>`).
 */
export function mintSessionToken(
  user: { id: string; email: string; name?: string | null; role: Role },
  secret: string,
  options: { maxAgeSeconds?: number } = {},
): Promise<string> {
  const claims: SessionClaims = { sub: user.id, email: user.email, name: user.name ?? null, role: user.role };
  return encode({ token: { ...claims }, secret, maxAge: options.maxAgeSeconds });
}

export function parseSessionClaims(payload: unknown): SessionClaims | null {
  if (typeof payload !== "object" || payload === null) return null;
  const { sub, email, name, role } = payload as Record<string, unknown>;
  if (!isUserId(sub) || typeof email !== "string" || !isRole(role)) return null;
  return { sub, email, name: typeof name === "string" ? name : null, role };
}
