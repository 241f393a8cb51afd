import { cookies, headers } from "next/headers";
import { hasRole, type Role } from "@/lib/auth/roles";
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from "@/lib/auth/session-token";
import { SessionTokenCache } from "@/lib/auth/session-token-cache";
import type { SessionUser } from "@/lib/auth/types";
import { getUser } from "@/lib/auth/users";
import { type EdgeServices, openEdgeServices } from "@/lib/runtime/edge-services";
import { withServiceErrors } from "./with-service-errors";

/**
 * withRole for edge-runtime route handlers (`export const runtime = "edge"`): the same answers (401 signed out, 403
 * role too low, 503/504 when storage is down, the role read from the database on every request), but with nothing Node-only on the way: the
 * session JWT is decrypted with next-auth's Web Crypto decoder, and the handler gets the request's own
 * EdgeServices, closed when it has answered.
 */
export function withEdgeRole<Context>(
  minRole: Role,
  handler: (request: Request, context: Context, user: SessionUser, services: EdgeServices) => Promise<Response>,
): (request: Request, context: Context) => Promise<Response> {
  return withServiceErrors(async (request: Request, context: Context) => {
    const services = openEdgeServices();
    try {
      const user = await currentUser(services);
      if (!user) return Response.json({ error: "sign in first" }, { status: 401 });
      if (!hasRole(user, minRole)) {
        return Response.json({ error: `this needs the ${minRole} role; you are ${user.role}` }, { status: 403 });
      }
      return await handler(request, context, user, services);
    } finally {
      await services.close();
    }
  });
}

let tokenCache: SessionTokenCache | undefined;

async function currentUser(services: EdgeServices): Promise<SessionUser | null> {
  const secret = services.env.NEXTAUTH_SECRET;
  if (!secret) throw new Error("NEXTAUTH_SECRET is not set: start faceloop with `npm start` or set it yourself");
  // A cache of decoded tokens only: safe to lose with the isolate.
  tokenCache ??= new SessionTokenCache(secret);
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  const bearer = /^Bearer (\S+)$/i.exec(headerList.get("authorization") ?? "")?.[1];
  const token = cookieStore.get(SECURE_SESSION_COOKIE)?.value ?? cookieStore.get(SESSION_COOKIE)?.value ?? bearer;
  const claims = await tokenCache.read(token);
  if (!claims) return null;
  return getUser(services.db, claims.sub);
}
