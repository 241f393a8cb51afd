import type { Database } from "../db/client";
import { createUser } from "./create-user";
import type { TSignUp } from "./credentials";
import { hashPassword } from "./password-hash";
import type { SessionUser } from "./types";

/** Registers a password account (input validated by ZSignUp). Throws AuthError "conflict" when the email is taken. */
export async function signUp(db: Database, input: TSignUp): Promise<SessionUser> {
  // Hash before taking the role lock, so concurrent sign-ups wait only for the insert.
  const passwordHash = await hashPassword(input.password);
  return createUser(db, { email: input.email, name: input.name, passwordHash });
}
