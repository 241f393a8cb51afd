import { sql } from "drizzle-orm";
import { z } from "zod";
import { recordAuditEvent } from "../audit/record-audit-event";
import { AuthError } from "../auth/auth-error";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";

export const ZPromotionRequest = z.object({
  reason: z.string().trim().min(3, "say why (a few words)").max(500),
});
export type TPromotionRequest = z.infer<typeof ZPromotionRequest>;

export interface Promotion {
  from: number | null;
  to: number;
  /** "rolled_back" when the new serving version was published before the one it replaces. */
  action: "promoted" | "rolled_back";
}

/**
 * Makes a version the serving one, by a person's decision: the one serving before stops in the same transaction
 * (the partial unique index allows one serving row), and the audit log keeps who, why, from and to. Open labelling
 * pages learn of it from the serving version their queue answers carry.
 */
export async function promoteModelVersion(
  db: Database,
  request: { versionId: number; actorId: string; reason: string },
): Promise<Promotion> {
  return db.transaction(async (tx) => {
    const rows = await queryRows<{ id: number; serving: boolean; published_at: Date | null; format: string | null }>(
      tx,
      sql`select id, serving, published_at, details->>'format' as format from model_versions
          where id = ${request.versionId} or serving for update`,
    );
    const target = rows.find((r) => r.id === request.versionId);
    if (!target) throw new AuthError("not_found", `no model version ${request.versionId}`);
    if (target.format === "graph-model") {
      throw new AuthError("invalid", "a graph model cannot serve: the labelling page loads layers models");
    }
    const current = rows.find((r) => r.serving) ?? null;
    if (current?.id === target.id) throw new AuthError("conflict", `version ${target.id} is already serving`);
    const action =
      current?.published_at && target.published_at && new Date(target.published_at) < new Date(current.published_at)
        ? "rolled_back"
        : "promoted";
    if (current) await tx.execute(sql`update model_versions set serving = false where id = ${current.id}`);
    await tx.execute(sql`update model_versions set serving = true where id = ${target.id}`);
    await recordAuditEvent(tx, {
      actorId: request.actorId,
      action: `model.${action}`,
      subject: `model_version:${target.id}`,
      details: { from: current?.id ?? null, to: target.id, reason: request.reason },
    });
    return { from: current?.id ?? null, to: target.id, action };
  });
}
