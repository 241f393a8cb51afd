import { makeZip } from "client-zip";
import sharp from "sharp";
import { USAGE_NAMES } from "../datasets/usage-split";
import type { Split } from "../datasets/types";
import { emotionName, type EmotionIndex } from "../emotions";
import { FACE_SIZE } from "../images/face-format";
import type { SnapshotBatch, SnapshotFace } from "./snapshot-items";

export type FolderImageFormat = "jpeg" | "png";

const USAGE: Record<Split, string> = { train: USAGE_NAMES[0], val: USAGE_NAMES[1], test: USAGE_NAMES[2] };
/** The msambare layout has only train/ and test/; the Usage prefix of the file name keeps PublicTest apart. */
const FOLDER: Record<Split, string> = { train: "train", val: "test", test: "test" };
/** Grey JPEG quality; the original's files are lossy too, PNG is there for exact pixels. */
const JPEG_QUALITY = 92;
const ENCODES_IN_FLIGHT = 32;

/** `train/happy/Training_17.jpg`: the original's folders and its `<Usage>_<id>` file names (read back by the importer). */
export function folderEntryName(
  item: Pick<SnapshotFace, "split" | "label" | "imageId">,
  format: FolderImageFormat,
): string {
  const ext = format === "jpeg" ? "jpg" : "png";
  return `${FOLDER[item.split]}/${emotionName(item.label as EmotionIndex)}/${USAGE[item.split]}_${item.imageId}.${ext}`;
}

export function encodeFace(pixels: Uint8Array, format: FolderImageFormat): Promise<Buffer> {
  // b-w: one channel out, as in the original's files (sharp writes three equal channels otherwise).
  const image = sharp(pixels, { raw: { width: FACE_SIZE, height: FACE_SIZE, channels: 1 } }).toColourspace("b-w");
  return (format === "jpeg" ? image.jpeg({ quality: JPEG_QUALITY }) : image.png({ compressionLevel: 9 })).toBuffer();
}

/**
 * The msambare folder layout as a zip, streamed: images are encoded a few dozen at a time on sharp's thread pool while
 * earlier ones are zipped, and stored uncompressed (JPEG and PNG are compressed already), so memory holds about one
 * batch of pixels and the encodes in flight whatever the set's size. `modified` is the date written
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
  // A sliding window of encodes, oldest first: sharp's pool stays busy across batch ends, and every queued encode
  // holds memory, so there are never more than ENCODES_IN_FLIGHT.
  const window: { item: SnapshotFace; file: Promise<Buffer> }[] = [];
  const entry = async ({ item, file }: (typeof window)[number]) => ({
    name: folderEntryName(item, format),
    lastModified: modified,
    input: await file,
  });
  try {
    for await (const { items, pixels } of batches) {
      for (let i = 0; i < items.length; i++) {
        const file = encodeFace(pixels[i], format);
        file.catch(() => null); // awaited in order below; this only keeps a failure from going unobserved meanwhile
        window.push({ item: items[i], file });
        if (window.length >= ENCODES_IN_FLIGHT) yield await entry(window.shift()!);
      }
    }
    while (window.length > 0) yield await entry(window.shift()!);
  } finally {
    await Promise.allSettled(window.map((w) => w.file));
  }
}
