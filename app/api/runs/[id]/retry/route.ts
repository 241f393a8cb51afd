import { withRole } from "@/app/_lib/auth";
import { badId, parsePositiveId } from "@/app/_lib/positive-id";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { retryRun } from "@/lib/runs/run-queue";
import { getServices } from "@/lib/runtime/app-services";

/** Queues a failed or cancelled run again (a new run, same model and config) → 201 { id }. */
export const POST = withRole("researcher", async (_request, context: { params: Promise<{ id: string }> }, user) => {
  const id = parsePositiveId((await context.params).id);
  if (id === null) return badId("run");
  const { db } = await getServices();
  const retried = await retryRun(db, id, user.id);
  if (retried === null) return Response.json({ error: `run ${id} has not failed or been cancelled` }, { status: 409 });
  await recordAuditEvent(db, { actorId: user.id, action: "run.retried", subject: `run:${retried}`, details: { of: id } });
  return Response.json({ id: retried }, { status: 201 });
});
