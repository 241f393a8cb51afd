import { sql } from "drizzle-orm";
import type { Database } from "../db/client";

// Any constant works; it is unique among faceloop's advisory locks (migrations use 7_402_113).
const ROLE_LOCK = 7_402_114;

/**
 * Serialises every change that depends on who the admins are (the first account becoming admin, demoting an
 * admin, creating users through OAuth) until the surrounding transaction ends. Sign-ups are rare, so one lock for
 * all of them costs nothing and makes "exactly one first admin" and "never zero admins" hold under concurrency.
 */
export async function lockRoles(tx: Pick<Database, "execute">): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ROLE_LOCK})`);
}
