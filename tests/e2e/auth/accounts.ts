import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import type { Role } from "../../../lib/auth/roles";

/**
 * Accounts for browser tests. The e2e server starts on an empty data folder, so whichever account signs up first
 * becomes admin: tests that need an admin use ADMIN through adminSession(), which signs it up when it does not
 * exist yet. (tests/e2e/auth/account-flow.spec.ts signs ADMIN up through the form and runs first.)
 */
export const ADMIN = { email: "admin@faceloop.test", password: "e2e-admin-password", name: "E2E Admin" };

export interface Account {
  email: string;
  password: string;
  name?: string;
}

export interface SessionInfo {
  id: string;
  email: string;
  name: string | null;
  role: Role;
}

export function uniqueAccount(prefix: string): Account {
  return { email: `${prefix}-${randomUUID().slice(0, 8)}@faceloop.test`, password: `pw-${randomUUID()}` };
}

/** POST /api/auth/signup. */
export async function signUpViaApi(request: APIRequestContext, account: Account) {
  return request.post("/api/auth/signup", { data: account });
}

/** Signs `request`'s cookie jar in through next-auth's credentials endpoint, as the sign-in form does. */
export async function signInViaApi(request: APIRequestContext, account: Account): Promise<SessionInfo> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { email: account.email, password: account.password, csrfToken, json: "true" },
    maxRedirects: 0,
  });
  if (response.status() !== 200) throw new Error(`sign-in as ${account.email} failed: ${response.status()}`);
  const session = await currentSession(request);
  if (!session) throw new Error(`sign-in as ${account.email} set no session`);
  return session;
}

export async function currentSession(request: APIRequestContext): Promise<SessionInfo | null> {
  const body = (await (await request.get("/api/auth/session")).json()) as { user?: SessionInfo };
  return body.user ?? null;
}

/** Signs `request` in as the well-known admin, creating it first on a fresh install. */
export async function adminSession(request: APIRequestContext): Promise<SessionInfo> {
  const created = await signUpViaApi(request, ADMIN);
  if (created.status() !== 201 && created.status() !== 409) {
    throw new Error(`could not create the e2e admin: ${created.status()} ${await created.text()}`);
  }
  const session = await signInViaApi(request, ADMIN);
  if (session.role !== "admin") {
    throw new Error(
      `${ADMIN.email} is ${session.role}, not admin: another account signed up first on this data folder`,
    );
  }
  return session;
}

/** Signs up a new account, has the admin give it `role`, and signs `request` in as it. */
export async function sessionWithRole(
  admin: APIRequestContext,
  request: APIRequestContext,
  role: Role,
): Promise<SessionInfo> {
  const account = uniqueAccount(role);
  const created = await signUpViaApi(request, account);
  if (created.status() !== 201) throw new Error(`sign-up failed: ${created.status()} ${await created.text()}`);
  const { user } = (await created.json()) as { user: SessionInfo };
  if (role !== user.role) {
    const changed = await admin.post(`/api/admin/users/${user.id}/role`, { data: { role } });
    if (changed.status() !== 200) throw new Error(`promotion failed: ${changed.status()} ${await changed.text()}`);
  }
  const session = await signInViaApi(request, account);
  if (session.role !== role) throw new Error(`${account.email} signed in as ${session.role}, expected ${role}`);
  return session;
}
