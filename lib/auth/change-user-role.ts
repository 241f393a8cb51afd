import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { AuthError } from "./auth-error";
import { lockRoles } from "./role-lock";
import type { Role } from "./roles";
import type { SessionUser } from "./types";
import { countAdmins, getUser } from "./users";

export interface RoleChange {
  /** The admin making the change; checked again inside the transaction (they may have been demoted meanwhile). */
  actorId: string;
  userId: string;
  role: Role;
}

/**
 * Gives a user another role. Admins only; an admin cannot demote the last admin (themselves included), even when
 * two admins demote each other at the same moment: the role lock serialises the check and the update.
 */
export async function changeUserRole(db: Database, change: RoleChange): Promise<SessionUser> {
  return db.transaction(async (tx) => {
    await lockRoles(tx);
    const actor = await getUser(tx, change.actorId);
    if (actor?.role !== "admin") throw new AuthError("forbidden", "only admins can change roles");
    const target = await getUser(tx, change.userId);
    if (!target) throw new AuthError("not_found", `no user ${change.userId}`);
    if (target.role === change.role) return target;
    if (target.role === "admin" && (await countAdmins(tx)) <= 1) {
      throw new AuthError("conflict", "cannot demote the last admin: make someone else admin first");
    }
    const [updated] = await queryRows<SessionUser>(
      tx,
      sql`update users set role = ${change.role}::role where id = ${target.id} returning id, email, name, role`,
    );
    await tx.execute(
      sql`insert into audit_log (actor_id, action, subject, details)
          values (${actor.id}, 'user.role_changed', ${target.id},
                  ${JSON.stringify({ from: target.role, to: change.role })}::jsonb)`,
    );
    return updated;
  });
}
