import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";

/**
 * Makes a snapshot's files downloadable by anyone holding its link (a fresh unguessable token), or private again
 * (the old link stops working). Recorded in the audit log. Returns the token, null when private; undefined when
 * there is no such snapshot.
 */
export async function setSnapshotPublic(
  db: Database,
  snapshotId: number,
  isPublic: boolean,
  actorId: string | null,
): Promise<string | null | undefined> {
  const token = isPublic ? randomBytes(24).toString("base64url") : null;
  return db.transaction(async (tx) => {
    const [row] = await queryRows<{ public_token: string | null }>(
      tx,
      sql`update dataset_snapshots set public_token = case when ${isPublic} then coalesce(public_token, ${token}) end
          where id = ${snapshotId} returning public_token`,
    );
    if (!row) return undefined;
    await tx.execute(sql`
      insert into audit_log (actor_id, action, subject, details)
      values (${actorId}, ${isPublic ? "snapshot.public" : "snapshot.private"}, ${`snapshot:${snapshotId}`}, '{}'::jsonb)`);
    return row.public_token;
  });
}
