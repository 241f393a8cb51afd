import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import type { Split } from "../datasets/types";
import { syntheticFaces } from "../images/synthetic-faces";
import { type IncomingImage, writeImageBatch } from "../import/image-batch-writer";
import { emptySummary } from "../import/import-summary";
import type { ObjectStore } from "../storage/object-store";
import { importJobs, images } from "../../db/schema";

export const DEMO_SOURCE = "demo";
const DEMO_SIZES: Record<Split, number> = { train: 420, val: 70, test: 70 };

/**
 * Fills an empty install with synthetic faces (seven expressions, all splits) so every page has something to
 * show before real data is imported. Does nothing when any image exists.
 */
export async function seedDemoDataset(db: Database, store: ObjectStore): Promise<number> {
  if ((await db.$count(images)) > 0) return 0;
  const [job] = await db
    .insert(importJobs)
    .values({ sourcePath: "synthetic demo faces", format: "demo" })
    .returning({ id: importJobs.id });
  let seed = 1;
  let added = 0;
  for (const split of ["train", "val", "test"] as const) {
    const batch: IncomingImage[] = syntheticFaces(DEMO_SIZES[split], seed++).map((face, i) => ({
      source: DEMO_SOURCE,
      sourceRef: `${split} ${i}`,
      split,
      label: face.label,
      pixels: face.pixels,
    }));
    added += (await writeImageBatch(db, store, batch, job.id)).imagesAdded;
  }
  await db
    .update(importJobs)
    .set({ status: "succeeded", finishedAt: new Date(), summary: { ...emptySummary("demo"), imagesAdded: added } })
    .where(eq(importJobs.id, job.id));
  return added;
}
