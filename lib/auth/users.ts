import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { normaliseEmail } from "./credentials";
import type { SessionUser, UserListItem } from "./types";

type Queryable = Pick<Database, "execute">;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUserId(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** The user with this id, with their current role; null for an unknown or malformed id. */
export async function getUser(db: Queryable, id: string): Promise<SessionUser | null> {
  if (!isUserId(id)) return null;
  const [row] = await queryRows<SessionUser>(db, sql`select id, email, name, role from users where id = ${id}`);
  return row ?? null;
}

export async function findUserByEmail(db: Queryable, email: string): Promise<SessionUser | null> {
  const [row] = await queryRows<SessionUser>(
    db,
    sql`select id, email, name, role from users where email = ${normaliseEmail(email)}`,
  );
  return row ?? null;
}

/** The user and their password hash (null for accounts that sign in only through OAuth). */
export async function findPasswordLogin(
  db: Queryable,
  email: string,
): Promise<{ user: SessionUser; passwordHash: string | null } | null> {
  const [row] = await queryRows<SessionUser & { passwordHash: string | null }>(
    db,
    sql`select id, email, name, role, password_hash as "passwordHash" from users where email = ${normaliseEmail(email)}`,
  );
  if (!row) return null;
  const { passwordHash, ...user } = row;
  return { user, passwordHash };
}

export async function findUserByAccount(
  db: Queryable,
  provider: string,
  providerAccountId: string,
): Promise<SessionUser | null> {
  const [row] = await queryRows<SessionUser>(
    db,
    sql`select u.id, u.email, u.name, u.role
        from accounts a join users u on u.id = a.user_id
        where a.provider = ${provider} and a.provider_account_id = ${providerAccountId}`,
  );
  return row ?? null;
}

/** Everyone, admins first, then by sign-up time. */
export async function listUsers(db: Queryable, limit = 1000): Promise<UserListItem[]> {
  const rows = await queryRows<Omit<UserListItem, "createdAt"> & { createdAt: Date | string }>(
    db,
    sql`select u.id, u.email, u.name, u.role, u.created_at as "createdAt",
               u.password_hash is not null as "hasPassword",
               coalesce(array_agg(a.provider order by a.provider) filter (where a.provider is not null), '{}') as providers
        from users u left join accounts a on a.user_id = u.id
        group by u.id
        order by u.role desc, u.created_at, u.email
        limit ${limit}`,
  );
  return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
}

/** How many admins there are right now. */
export async function countAdmins(db: Queryable): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from users where role = 'admin'`);
  return row.n;
}
