import { eq } from "drizzle-orm";
import { images } from "../../db/schema";
import type { Database } from "../db/client";
import type { FaceLocation } from "./face-shards";

export interface ImageRecord extends FaceLocation {
  id: number;
  contentHash: string;
  split: "train" | "val" | "test";
  status: "active" | "not_face" | "rejected";
  sourceCount: number;
}

export async function getImage(db: Database, id: number): Promise<ImageRecord | null> {
  const [row] = await db
    .select({
      id: images.id,
      contentHash: images.contentHash,
      split: images.split,
      status: images.status,
      sourceCount: images.sourceCount,
      storageKey: images.storageKey,
      storageOffset: images.storageOffset,
    })
    .from(images)
    .where(eq(images.id, id));
  return row ?? null;
}
