import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import sharp from "sharp";
import tar from "tar-stream";
import { FERPLUS_HEADER } from "../csv-header";
import { openDataset } from "../open-dataset";
import type { DatasetRecord } from "../types";

/** A fresh temp folder per test file; `cleanup` removes it. */
export async function makeTempDir(): Promise<{
  dir: string;
  file: (name: string) => string;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), "faceloop-datasets-"));
  return { dir, file: (name) => join(dir, name), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeFixture(path: string, data: Buffer | string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data);
  return path;
}

/** Deterministic 48x48 pixels that differ per seed. */
export function facePixels(seed: number): Uint8Array {
  return Uint8Array.from({ length: 2304 }, (_, i) => (i * 7 + seed * 31) % 256);
}

export const pixelText = (seed: number) => Array.from(facePixels(seed)).join(" ");

/** A FER-2013 CSV from data lines (each `emotion,pixels,Usage`), with its header. */
export function fer2013Csv(lines: readonly string[]): string {
  return `emotion,pixels,Usage\n${lines.join("\n")}\n`;
}

export const fer2013Line = (label: number | string, usage: string, seed: number) =>
  `${label},${pixelText(seed)},${usage}`;

export function ferPlusCsv(lines: readonly string[]): string {
  return `${FERPLUS_HEADER}\n${lines.join("\n")}\n`;
}

export const gzip = (text: string | Buffer) => gzipSync(Buffer.from(text));

/** A tar (gzip'd unless `plain`) holding the given files, written with tar-stream as Kaggle's tar.gz would be. */
export async function buildTar(files: Record<string, string | Buffer>, plain = false): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, data] of Object.entries(files)) pack.entry({ name }, Buffer.from(data));
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  return plain ? bytes : gzipSync(bytes);
}

/** Encodes pixels as an image the way the msambare files are, or deliberately otherwise (RGB, other sizes). */
export async function faceImage(
  seed: number,
  options: { format?: "jpeg" | "png"; size?: number; colour?: "grey" | "rgb-grey" | "rgb"; alpha?: boolean } = {},
): Promise<Buffer> {
  const { format = "png", size = 48, colour = "grey" } = options;
  const grey = Buffer.from(Array.from({ length: size * size }, (_, i) => facePixels(seed)[i % 2304]));
  let image =
    colour === "grey" ? sharp(grey, { raw: { width: size, height: size, channels: 1 } }).toColourspace("b-w") : null;
  if (image === null) {
    const rgb = Buffer.alloc(size * size * 3);
    grey.forEach((v, i) => rgb.set(colour === "rgb" ? [v, 255 - v, (v * 3) % 256] : [v, v, v], i * 3));
    image = sharp(rgb, { raw: { width: size, height: size, channels: 3 } });
  }
  if (options.alpha) image = image.ensureAlpha(0.5);
  return format === "png" ? image.png().toBuffer() : image.jpeg({ quality: 95 }).toBuffer();
}

/** Reads every record of an input (tests only: real imports stream). */
export async function readAll(path: string, concurrency?: number): Promise<DatasetRecord[]> {
  const records: DatasetRecord[] = [];
  for await (const record of await openDataset(path, { concurrency })) records.push(record);
  return records;
}

/** Reads records until the stream throws; returns both, so a test can check what came before the error. */
export async function readUntilError(path: string): Promise<{ records: DatasetRecord[]; error: Error | null }> {
  const records: DatasetRecord[] = [];
  try {
    for await (const record of await openDataset(path)) records.push(record);
    return { records, error: null };
  } catch (error) {
    return { records, error: error as Error };
  }
}
