import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";

/** The first `bytes` bytes of a file (fewer if it is shorter). */
export async function readFileStart(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Up to `bytes` decompressed bytes from the start of a gzip file; rejects with zlib's error if it is not gzip. */
export async function gunzipFileStart(path: string, bytes: number): Promise<Buffer> {
  const file = createReadStream(path);
  const gunzip = createGunzip();
  file.on("error", (error) => gunzip.destroy(error));
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of file.pipe(gunzip)) {
      chunks.push(chunk as Buffer);
      total += (chunk as Buffer).length;
      if (total >= bytes) break;
    }
  } catch (error) {
    // A file truncated inside the first few KB still shows enough to be recognised.
    if (total === 0) throw error;
  } finally {
    file.destroy();
    gunzip.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}

export const isGzip = (start: Buffer) => start[0] === 0x1f && start[1] === 0x8b;
/** Local file header, or the end record of an empty zip. */
export const isZip = (start: Buffer) => start.subarray(0, 4).equals(Buffer.from("PK\x03\x04")) || isEmptyZip(start);
export const isEmptyZip = (start: Buffer) => start.subarray(0, 4).equals(Buffer.from("PK\x05\x06"));
/** POSIX and GNU tar both put "ustar" at offset 257 of the first header block. */
export const isTar = (start: Buffer) => start.subarray(257, 262).toString("latin1") === "ustar";

// Formats people plausibly pick by mistake, so the error can name them.
const OTHER_FORMATS: Array<[string, string]> = [
  ["89504e47", "a PNG image"],
  ["ffd8ff", "a JPEG image"],
  ["377abcaf271c", "a 7-Zip archive"],
  ["526172211a07", "a RAR archive"],
  ["425a68", "a bzip2 file"],
  ["fd377a585a00", "an xz file"],
  ["28b52ffd", "a zstd file"],
  ["25504446", "a PDF document"],
];

/** Names a recognisable but unsupported file type, or null. */
export function otherFormatName(start: Buffer): string | null {
  const hex = start.subarray(0, 8).toString("hex");
  return OTHER_FORMATS.find(([magic]) => hex.startsWith(magic))?.[1] ?? null;
}

/** Text files have no NUL bytes; binary formats almost always do within the first few KB. */
export function looksLikeText(start: Buffer): boolean {
  return !start.includes(0);
}

/** The first non-empty line of a text prefix, or null when the prefix holds no complete line. */
export function firstLine(text: Buffer, complete: boolean): Buffer | null {
  let start = 0;
  for (;;) {
    const newline = text.indexOf(10, start);
    const end = newline === -1 ? text.length : newline;
    const line = text
      .subarray(start, end)
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .trim();
    if (line.length > 0) return newline === -1 && !complete ? null : text.subarray(start, end);
    if (newline === -1) return null;
    start = newline + 1;
  }
}

/** Reads a stream only until its first non-empty line (or `maxBytes`); null when there is none. */
export async function sniffFirstLine(chunks: AsyncIterable<Buffer>, maxBytes = 64 * 1024): Promise<Buffer | null> {
  const seen: Buffer[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    seen.push(chunk);
    total += chunk.length;
    const line = firstLine(Buffer.concat(seen), false);
    if (line !== null) return line;
    if (total >= maxBytes) return null;
  }
  return firstLine(Buffer.concat(seen), true);
}
