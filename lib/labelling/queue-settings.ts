import type { Env } from "../config/env";

/** The labelling queue's knobs, from the environment (LABEL_OVERLAP, LABEL_LEASE_SECONDS, LABEL_BLIND_SHARE). */
export interface QueueSettings {
  /** Items leave the queue once this many people labelled them. */
  overlap: number;
  /** How long a served item stays reserved for its annotator. */
  leaseSeconds: number;
  /** Share of served items shown without the model's suggestion, 0..1. */
  blindShare: number;
  /** Test faces: not served ("off", the default), or served only blind ("blind"): LABEL_TEST_FACES. */
  testFaces?: "off" | "blind";
}

export function queueSettings(
  env: Pick<Env, "LABEL_OVERLAP" | "LABEL_LEASE_SECONDS" | "LABEL_BLIND_SHARE" | "LABEL_TEST_FACES">,
): QueueSettings {
  return {
    overlap: env.LABEL_OVERLAP,
    leaseSeconds: env.LABEL_LEASE_SECONDS,
    blindShare: env.LABEL_BLIND_SHARE,
    testFaces: env.LABEL_TEST_FACES,
  };
}
