import { z } from "zod";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Database } from "../db/client";
import { MODEL_NAMES } from "../models";
import { describeSnapshotForTraining } from "../snapshots/snapshot-training-set";
import { ZRunConfig } from "./run-config";
import { enqueueRun } from "./run-queue";

/** A run as the /runs form asks for it: a model of the zoo and its config (preset, overrides, label policy, data). */
export const ZStartRunRequest = z.object({
  modelName: z.string().refine((name) => MODEL_NAMES.includes(name), {
    message: "not a model of the zoo (npm run models lists them)",
  }),
  config: ZRunConfig.omit({ serve: true }).extend({
    // A run started from the site never takes over serving by itself: promotion is a person's decision on /models.
    serve: z.enum(["never", "if-better"]).default("never"),
  }),
});
export type TStartRunRequest = z.infer<typeof ZStartRunRequest>;

/** A request that is well formed but cannot be run (a snapshot that does not exist, or has no train split). */
export class RunRequestError extends Error {}

/** Queues a run for the trainer service (the same Postgres queue it claims from) and notes who asked. */
export async function startRun(db: Database, request: TStartRunRequest, requestedBy: string): Promise<number> {
  if (request.config.snapshotId !== undefined) {
    const snapshot = await describeSnapshotForTraining(db, request.config.snapshotId);
    if ("error" in snapshot) throw new RunRequestError(snapshot.error);
  }
  return db.transaction(async (tx) => {
    const runId = await enqueueRun(tx, { ...request, trigger: "manual", requestedBy });
    await recordAuditEvent(tx, {
      actorId: requestedBy,
      action: "run.started",
      subject: `run:${runId}`,
      details: { modelName: request.modelName, config: request.config },
    });
    return runId;
  });
}
