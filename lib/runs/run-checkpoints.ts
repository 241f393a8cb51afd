import type { ObjectStore } from "../storage/object-store";
import { type TrainingCheckpoint, ZTrainingCheckpointMeta } from "../training/types";

/**
 * Training checkpoints in S3, one folder per epoch: the tensors (`state.bin`) first, the description (`meta.json`)
 * last, so a folder with a meta.json is complete. The run row points at the newest complete one; older ones are
 * deleted once a newer one is recorded.
 */
export function checkpointPrefix(runId: number, epoch: number): string {
  return `runs/${runId}/checkpoints/epoch-${String(epoch).padStart(4, "0")}/`;
}

/** A checkpoint taken mid-epoch, when a run was stopped: resumes at the batch after `batch`. */
export function midEpochCheckpointPrefix(runId: number, epoch: number, batch: number): string {
  return `runs/${runId}/checkpoints/epoch-${String(epoch).padStart(4, "0")}-batch-${String(batch).padStart(6, "0")}/`;
}

export async function saveCheckpoint(store: ObjectStore, prefix: string, checkpoint: TrainingCheckpoint): Promise<void> {
  await store.put(`${prefix}state.bin`, new Uint8Array(checkpoint.data), { contentType: "application/octet-stream" });
  const meta = JSON.stringify({ meta: checkpoint.meta, specs: checkpoint.specs });
  await store.put(`${prefix}meta.json`, meta, { contentType: "application/json" });
}

export async function loadCheckpoint(store: ObjectStore, prefix: string): Promise<TrainingCheckpoint> {
  const parsed = JSON.parse(new TextDecoder().decode(await store.get(`${prefix}meta.json`))) as {
    meta: unknown;
    specs: TrainingCheckpoint["specs"];
  };
  const meta = ZTrainingCheckpointMeta.parse(parsed.meta);
  const data = await store.get(`${prefix}state.bin`);
  return { meta, specs: parsed.specs, data: data.slice().buffer };
}

/** Removes a run's checkpoints other than `keep`. */
export async function pruneCheckpoints(store: ObjectStore, runId: number, keep: string): Promise<void> {
  const stale = new Set<string>();
  for await (const object of store.list(`runs/${runId}/checkpoints/`)) {
    const prefix = object.key.slice(0, object.key.lastIndexOf("/") + 1);
    if (prefix !== keep) stale.add(prefix);
  }
  for (const prefix of stale) await store.deletePrefix(prefix);
}
