import type { Database } from "../../db/client";
import { loadFaceOpinions } from "../consensus/load-face-opinions";
import { loadRoundScores } from "../scoring-rounds/scoring-round-store";
import type { FaceEvidence } from "../strategies/sampling-strategy";

/**
 * What the strategies read about every active face: a round's out-of-sample probabilities and embedding (none
 * without a round), the given label (the first source's), people's labels and FER+ votes.
 */
export async function loadFaceEvidence(
  db: Database,
  roundId: number | null,
  options: { embedding?: boolean } = {},
): Promise<FaceEvidence[]> {
  const opinions = await loadFaceOpinions(db);
  const scores = roundId === null ? [] : await loadRoundScores(db, roundId, { embedding: options.embedding });
  const byId = new Map(scores.map((s) => [s.imageId, s]));
  return opinions.map((face) => {
    const score = byId.get(face.imageId);
    return {
      imageId: face.imageId,
      probs: score?.probs ?? null,
      embedding: score?.embedding ?? null,
      given: face.original[0] ?? null,
      people: face.people.map((p) => p.label),
      votes: face.crowd,
    };
  });
}
