import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { AuthError, type AuthErrorKind } from "@/lib/auth/auth-error";
import { hasRole, type Role } from "@/lib/auth/roles";
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from "@/lib/auth/session-token";
import { SessionTokenCache } from "@/lib/auth/session-token-cache";
import type { SessionUser } from "@/lib/auth/types";
import { getUser } from "@/lib/auth/users";
import { getServices } from "@/lib/runtime/app-services";
import { authSecret } from "./auth-options";
import { withServiceErrors } from "./with-service-errors";

export type { SessionUser };

/**
 * The signed-in user with their current role, or null. The session token (cookie, or `Authorization: Bearer`)
 * only says who it is; the role comes from the database on every request, so a role change or a deleted account
 * takes effect at once rather than when the token expires. Cached per request. (Names and emails are length-limited,
 * so the token never reaches the 4 KB at which next-auth would split the cookie into chunks.)
 */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  const bearer = /^Bearer (\S+)$/i.exec(headerList.get("authorization") ?? "")?.[1];
  const token = cookieStore.get(SECURE_SESSION_COOKIE)?.value ?? cookieStore.get(SESSION_COOKIE)?.value ?? bearer;
  const claims = await sessionTokens().read(token);
  if (!claims) return null;
  const { db } = await getServices();
  return getUser(db, claims.sub);
});

let tokenCache: SessionTokenCache | undefined;
function sessionTokens(): SessionTokenCache {
  tokenCache ??= new SessionTokenCache(authSecret());
  return tokenCache;
}

/**
 * For pages: the signed-in user holding at least `minRole`. Signed out: redirects to /signin, which returns to
 * `path` afterwards. Role too low: redirects to the /forbidden page, which says which role the page needs.
 * (Server components cannot learn their own URL, hence `path`.)
 */
export async function requirePageRole(minRole: Role, path?: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(path ? `/signin?${new URLSearchParams({ callbackUrl: path })}` : "/signin");
  if (!hasRole(user, minRole))
    redirect(`/forbidden?${new URLSearchParams({ need: minRole, ...(path ? { from: path } : {}) })}`);
  return user;
}

/**
 * For route handlers: runs `handler` only for a signed-in user holding at least `minRole`; 401 JSON when signed
 * out, 403 JSON when the role is too low; 503/504 JSON when storage is down (see withServiceErrors).
 */
export function withRole<Context>(
  minRole: Role,
  handler: (request: Request, context: Context, user: SessionUser) => Promise<Response>,
): (request: Request, context: Context) => Promise<Response> {
  return withServiceErrors(async (request: Request, context: Context) => {
    const user = await getCurrentUser();
    if (!user) return Response.json({ error: "sign in first" }, { status: 401 });
    if (!hasRole(user, minRole)) {
      return Response.json({ error: `this needs the ${minRole} role; you are ${user.role}` }, { status: 403 });
    }
    return handler(request, context, user);
  });
}

const STATUS: Record<AuthErrorKind, number> = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409 };

/** An AuthError as the JSON answer it stands for; anything else is rethrown. */
export function authErrorResponse(error: unknown): Response {
  if (error instanceof AuthError) return Response.json({ error: error.message }, { status: STATUS[error.kind] });
  throw error;
}

// Kept here for existing importers; it lives in json-body.ts, which edge-runtime routes can import.
export { readJsonBody } from "./json-body";
