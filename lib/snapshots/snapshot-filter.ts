import { z } from "zod";

/**
 * What goes into a snapshot. Label methods:
 * - "original": the source's own label (FER-2013's), as in the standard benchmark;
 * - "majority", "dawid-skene", "soft": the stored consensus of lib/curation/consensus (every FER+ crowd vote, every
 *   annotator and the source's label; Dawid-Skene weighs each voter by their fitted confusion matrix; soft keeps the
 *   vote distribution, which goes into the manifest). Faces people judged not a face have no consensus label.
 * `minConfidence` keeps only images whose label has at least that confidence: the vote share for the original label
 * (images without votes beyond their source's label have none and pass only when it is 0), the consensus method's own
 * confidence otherwise.
 */
export const LABEL_METHODS = ["original", "majority", "dawid-skene", "soft"] as const;
export type LabelMethod = (typeof LABEL_METHODS)[number];

export const ZSnapshotFilter = z.object({
  splits: z
    .array(z.enum(["train", "val", "test"]))
    .min(1, "choose at least one split")
    .default(["train", "val", "test"])
    .transform((splits) => [...new Set(splits)].sort((a, b) => SPLIT_ORDER[a] - SPLIT_ORDER[b])),
  labelMethod: z.enum(LABEL_METHODS).default("original"),
  minConfidence: z.number().min(0).max(1).default(0),
  /** Faces annotators uploaded (they have no source label, so they need a method that uses people's labels). */
  includeUploads: z.boolean().default(false),
  /** Images judged not a face (FER+ majority or annotators); labelled from the emotion votes they have. */
  includeNotFace: z.boolean().default(false),
  /** Faces that occur more than once in the sources (stored once, exported once); off leaves them all out. */
  includeDuplicates: z.boolean().default(true),
  /** Also a lossless PNG folder zip beside the JPEG one. */
  png: z.boolean().default(false),
});
export type TSnapshotFilter = z.infer<typeof ZSnapshotFilter>;

const SPLIT_ORDER = { train: 0, val: 1, test: 2 } as const;

export const ZCreateSnapshot = z.object({
  name: z.string().trim().min(1, "give the snapshot a name").max(120),
  filter: ZSnapshotFilter.default(ZSnapshotFilter.parse({})),
});
export type TCreateSnapshot = z.infer<typeof ZCreateSnapshot>;
