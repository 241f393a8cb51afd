import { sql } from "drizzle-orm";
import type { Database } from "../db/client";

export interface AuditEvent {
  /** The person acting; null for a process, which names itself in `actorName`. */
  actorId: string | null;
  actorName?: string;
  action: string;
  subject?: string;
  details?: Record<string, unknown>;
}

/** Appends one line to the audit log (who did what to which thing, and why). Pass the transaction that made the change. */
export async function recordAuditEvent(db: Pick<Database, "execute">, event: AuditEvent): Promise<void> {
  await db.execute(sql`
    insert into audit_log (actor_id, actor_name, action, subject, details)
    values (${event.actorId}, ${event.actorName ?? null}, ${event.action}, ${event.subject ?? null},
            ${event.details ? JSON.stringify(event.details) : null}::jsonb)`);
}
