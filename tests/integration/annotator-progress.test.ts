import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAnnotatorProgress, utcDayStart } from "../../lib/labelling/annotator-progress";
import { claimLabelItems } from "../../lib/labelling/claim-label-items";
import { rebuildMislabelScores } from "../../lib/labelling/mislabel-scores";
import { saveAnnotation } from "../../lib/labelling/save-annotation";
import { skipLabelItem } from "../../lib/labelling/skip-label-item";
import {
  insertAnnotators,
  insertFerPlusVotes,
  insertModelVersion,
  insertPredictions,
  insertQueueImages,
} from "../../lib/labelling/testing/queue-fixtures";
import { createTestDatabase } from "../support/test-database";

/** The dashboard's numbers on a real Postgres, against a fixture whose answers are known by construction. */
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const settings = { overlap: 3, leaseSeconds: 300, blindShare: 0 };

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

let request = 0;
/** Saves a label as the page would: the annotator holds the item first (saves are taken on held items only). */
async function label(annotatorId: string, imageId: number, value: number, durationMs: number | null = 1000) {
  await database.db.execute(sql`
    insert into label_leases (image_id, annotator_id, expires_at) values (${imageId}, ${annotatorId}::uuid, now() + interval '5 minutes')
    on conflict (image_id) do update set annotator_id = excluded.annotator_id, expires_at = excluded.expires_at
    where label_leases.expires_at <= now() or label_leases.annotator_id = excluded.annotator_id`);
  return saveAnnotation(
    database.db,
    {
      annotatorId,
      imageId,
      label: value,
      clientRequestId: `progress-${++request}`,
      durationMs,
      suggestedLabel: null,
      suggestionModelVersionId: null,
    },
    { overlap: settings.overlap },
  );
}

describe("getAnnotatorProgress", () => {
  it("counts today's and all labels, the median time, what each queue has left, and agreement with consensus", async () => {
    const db = database.db;
    // Original labels are i % 7: image k has original k.
    const images = await insertQueueImages(db, 10);
    const [me, other, third] = await insertAnnotators(db, 3);
    // The serving model predicted 7 (agreeing with its original) and 8 (contradicting it); image 9's FER+ votes
    // contradict its original label; a retired model's prediction of 9 does not count for "uncertain".
    const serving = await insertModelVersion(db, { serving: true });
    const retired = await insertModelVersion(db, { serving: false });
    await insertPredictions(db, serving, [
      { imageId: images[7], probs: [0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1] },
      { imageId: images[8], probs: [0.01, 0.02, 0.01, 0.01, 0.02, 0.03, 0.9] },
    ]);
    await insertPredictions(db, retired, [{ imageId: images[9], probs: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.4] }]);
    await insertFerPlusVotes(db, [{ imageId: images[9], counts: [9, 0, 0, 0, 0, 0, 1] }]);

    // The long-running host rebuilds the mislabel ranking (requests only read it).
    await rebuildMislabelScores(db, serving);
    const fresh = await getAnnotatorProgress(db, { annotatorId: me, overlap: settings.overlap });
    expect(fresh).toMatchObject({ labelsToday: 0, labelsTotal: 0, medianSecondsPerDecision: null, agreement: null });
    expect(Object.fromEntries(fresh.queueLeft.map((q) => [q.strategy, q.left]))).toEqual({
      unreviewed: 10,
      uncertain: 2,
      mislabel: 2,
      random: 10,
    });

    // Mine: images 0-4. Durations 1..5 s: median 3 s.
    const mine = [0, 3, 4, 3, -1];
    for (let k = 0; k < 5; k++) await label(me, images[k], mine[k], (k + 1) * 1000);
    // One label from yesterday (UTC): not today.
    await db.execute(sql`update annotations set created_at = ${new Date(utcDayStart(new Date()).getTime() - 3_600_000).toISOString()}::timestamptz
      where annotator_id = ${me}::uuid and image_id = ${images[3]}`);
    // Evidence beyond the original (majority over every vote, mine included; ties go to the original):
    await label(other, images[0], 0); // image 0: original 0, other 0, me 0 -> 0: agree
    await label(other, images[1], 5); // image 1: original 1, other 5, me 3 -> tie, the original wins: disagree
    await insertFerPlusVotes(db, [{ imageId: images[2], counts: [0, 0, 0, 0, 8, 0, 2] }]); // -> 4; me 4: agree
    // image 3: nothing but the original and me: not compared.
    await label(other, images[4], 4); // image 4: I said not a face, which is no class: not compared

    // What is left for me: 5-9, minus the one another annotator holds (5) and the one I skipped (6); my own hold
    // (7) is still mine to label.
    const otherHeld = await claimLabelItems(db, { annotatorId: third, strategy: "unreviewed", count: 1, settings });
    expect(otherHeld.items.map((i) => i.imageId)).toEqual([images[5]]);
    await skipLabelItem(db, { annotatorId: me, imageId: images[6], leaseSeconds: 300 });
    const mineHeld = await claimLabelItems(db, { annotatorId: me, strategy: "unreviewed", count: 1, settings });
    expect(mineHeld.items.map((i) => i.imageId)).toEqual([images[7]]);
    const progress = await getAnnotatorProgress(db, { annotatorId: me, overlap: settings.overlap });
    expect(progress.labelsTotal).toBe(5);
    expect(progress.labelsToday).toBe(4);
    expect(progress.medianSecondsPerDecision).toBe(3);
    expect(Object.fromEntries(progress.queueLeft.map((q) => [q.strategy, q.left]))).toEqual({
      unreviewed: 3, // 7, 8, 9
      uncertain: 2, // 7, 8 (serving model's predictions)
      mislabel: 2, // 8 (the model contradicts), 9 (the crowd does)
      random: 3,
    });
    expect(progress.agreement).toEqual({ compared: 3, agreed: 2 });

    // The other annotator's numbers are theirs alone.
    const theirs = await getAnnotatorProgress(db, { annotatorId: other, overlap: settings.overlap });
    expect(theirs.labelsTotal).toBe(3);
    // Image 0: consensus 0, theirs 0: agree; image 1: tie -> original 1, theirs 5: disagree; image 4: one
    // not-a-face against one class label is no "not a face" majority, so original 4 + theirs 4 -> 4: agree.
    expect(theirs.agreement).toEqual({ compared: 3, agreed: 2 });
  });
});
