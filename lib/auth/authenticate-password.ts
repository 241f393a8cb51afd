import type { Database } from "../db/client";
import { ZSignIn } from "./credentials";
import { verifyNothing, verifyPassword } from "./password-hash";
import type { SessionUser } from "./types";
import { findPasswordLogin } from "./users";

/**
 * The user these credentials belong to, or null. Every failure looks the same from outside (null, and about the
 * same time spent), so a sign-in attempt never tells whether an email is registered.
 */
export async function authenticatePassword(
  db: Pick<Database, "execute">,
  credentials: unknown,
): Promise<SessionUser | null> {
  const parsed = ZSignIn.safeParse(credentials);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const login = await findPasswordLogin(db, email);
  if (!login?.passwordHash) return verifyNothing(password).then(() => null);
  return (await verifyPassword(login.passwordHash, password)) ? login.user : null;
}
