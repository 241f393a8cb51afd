import { readJsonBody, withRole } from "@/app/_lib/auth";
import { ZScoringRoundConfig } from "@/lib/curation/scoring-rounds/scoring-round-config";
import { enqueueRun } from "@/lib/runs/run-queue";
import { getServices } from "@/lib/runtime/app-services";

/** Queues a scoring round for the trainer: { folds?, timeBudgetMinutes?, epochs? } → 201 { runId }. */
export const POST = withRole("researcher", async (request, _context, user) => {
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const input = ZScoringRoundConfig.safeParse({ ...(read.body as object), job: "scoring-round" });
  if (!input.success) return Response.json({ error: input.error.issues[0].message }, { status: 400 });
  const { db } = await getServices();
  const runId = await enqueueRun(db, { modelName: input.data.modelName, config: input.data, requestedBy: user.id });
  return Response.json({ runId }, { status: 201 });
});
