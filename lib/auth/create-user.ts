import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { AuthError } from "./auth-error";
import { normaliseEmail } from "./credentials";
import { lockRoles } from "./role-lock";
import type { SessionUser } from "./types";

export interface NewUser {
  email: string;
  name: string | null;
  /** argon2id hash; null for an account that signs in only through OAuth. */
  passwordHash: string | null;
}

/**
 * Creates a user. The first account of an install (more exactly: any account created while no admin exists)
 * becomes admin, everyone else an annotator. Race-free: the role lock makes concurrent sign-ups on an empty
 * install take turns, so exactly one of them sees "no admin yet".
 */
export async function createUser(db: Database, user: NewUser): Promise<SessionUser> {
  return db.transaction(async (tx) => {
    await lockRoles(tx);
    const created = await insertUser(tx, user);
    if (!created) throw new AuthError("conflict", "an account with this email already exists");
    return created;
  });
}

/**
 * The insert behind createUser, for callers that already hold the role lock in their own transaction. Returns
 * null when the email is taken.
 */
export async function insertUser(tx: Pick<Database, "execute">, user: NewUser): Promise<SessionUser | null> {
  const [created] = await queryRows<SessionUser>(
    tx,
    sql`insert into users (email, name, password_hash, role)
        select ${normaliseEmail(user.email)}, ${user.name}, ${user.passwordHash},
               (case when exists (select 1 from users where role = 'admin') then 'annotator' else 'admin' end)::role
        on conflict (email) do nothing
        returning id, email, name, role`,
  );
  if (!created) return null;
  await tx.execute(
    sql`insert into audit_log (actor_id, action, subject, details)
        values (${created.id}, 'user.created', ${created.id}, ${JSON.stringify({ role: created.role })}::jsonb)`,
  );
  return created;
}
