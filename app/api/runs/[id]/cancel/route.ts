import { withRole } from "@/app/_lib/auth";
import { badId, parsePositiveId } from "@/app/_lib/positive-id";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { requestCancel } from "@/lib/runs/run-queue";
import { getServices } from "@/lib/runtime/app-services";

/** Cancels a queued run at once, a running one at its next heartbeat. 409 when it already ended. */
export const POST = withRole("researcher", async (_request, context: { params: Promise<{ id: string }> }, user) => {
  const id = parsePositiveId((await context.params).id);
  if (id === null) return badId("run");
  const { db } = await getServices();
  if (!(await requestCancel(db, id))) {
    return Response.json({ error: `run ${id} is not queued or running` }, { status: 409 });
  }
  await recordAuditEvent(db, { actorId: user.id, action: "run.cancelled", subject: `run:${id}` });
  return Response.json({ id });
});
