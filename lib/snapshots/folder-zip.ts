import { makeZip } from "client-zip";
import sharp from "sharp";
import { USAGE_NAMES } from "../datasets/usage-split";
import type { Split } from "../datasets/types";
import { emotionName, type EmotionIndex } from "../emotions";
import { FACE_SIZE } from "../images/face-format";
import type { SnapshotBatch, SnapshotItem } from "./snapshot-items";

export type FolderImageFormat = "jpeg" | "png";

const USAGE: Record<Split, string> = { train: USAGE_NAMES[0], val: USAGE_NAMES[1], test: USAGE_NAMES[2] };
/** The msambare layout has only train/ and test/; the Usage prefix of the file name keeps PublicTest apart. */
const FOLDER: Record<Split, string> = { train: "train", val: "test", test: "test" };
/** Grey JPEG quality; the original's files are lossy too, PNG is there for exact pixels. */
const JPEG_QUALITY = 92;
const ENCODES_IN_FLIGHT = 32;

/** `train/happy/Training_17.jpg`: the original's folders and its `<Usage>_<id>` file names (read back by the importer). */
export function folderEntryName(item: Pick<SnapshotItem, "split" | "label" | "imageId">, format: FolderImageFormat): string {
  const ext = format === "jpeg" ? "jpg" : "png";
  return `${FOLDER[item.split]}/${emotionName(item.label as EmotionIndex)}/${USAGE[item.split]}_${item.imageId}.${ext}`;
}

export function encodeFace(pixels: Uint8Array, format: FolderImageFormat): Promise<Buffer> {
  // b-w: one channel out, as in the original's files (sharp writes three equal channels otherwise).
  const image = sharp(pixels, { raw: { width: FACE_SIZE, height: FACE_SIZE, channels: 1 } }).toColourspace("b-w");
  return (format === "jpeg" ? image.jpeg({ quality: JPEG_QUALITY }) : image.png({ compressionLevel: 9 })).toBuffer();
}

/**
 * The msambare folder layout as a zip, streamed: images are encoded a batch at a time (sharp's thread pool encodes
 * a batch in parallel, the next batch while this one is zipped) and stored uncompressed (JPEG and PNG are
 * compressed already), so memory holds about two batches whatever the set's size. `modified` is the date written
 * into every entry: the snapshot's, so the same snapshot always gives the same bytes.
 */
export function folderZip(
  batches: AsyncIterable<SnapshotBatch>,
  format: FolderImageFormat,
  modified: Date,
): ReadableStream<Uint8Array> {
  return makeZip(entries(batches, format, modified), { buffersAreUTF8: true });
}

async function* entries(batches: AsyncIterable<SnapshotBatch>, format: FolderImageFormat, modified: Date) {
  // A bounded number of encodes in flight: sharp's pool has only a few threads, and every queued job holds memory.
  const encode = async (batch: SnapshotBatch) => {
    const files: Buffer[] = [];
    for (let at = 0; at < batch.pixels.length; at += ENCODES_IN_FLIGHT) {
      const slice = batch.pixels.slice(at, at + ENCODES_IN_FLIGHT);
      files.push(...(await Promise.all(slice.map((pixels) => encodeFace(pixels, format)))));
    }
    return { batch, files };
  };
  let pending: Promise<{ batch: SnapshotBatch; files: Buffer[] }> | null = null;
  for await (const batch of batches) {
    const next = encode(batch);
    next.catch(() => null);
    if (pending) yield* toEntries(await pending, format, modified);
    pending = next;
  }
  if (pending) yield* toEntries(await pending, format, modified);
}

function* toEntries(encoded: { batch: SnapshotBatch; files: Buffer[] }, format: FolderImageFormat, modified: Date) {
  const { batch, files } = encoded;
  for (let i = 0; i < files.length; i++) {
    yield { name: folderEntryName(batch.items[i], format), lastModified: modified, input: files[i] };
  }
}
