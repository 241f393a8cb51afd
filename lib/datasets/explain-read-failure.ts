import { DatasetError } from "./dataset-error";
import { LINE_TOO_LONG } from "./read-lines";
import type { DatasetFormat } from "./types";

/**
 * Rewrites a low-level stream failure (zlib, tar-stream, yauzl, fs) as a sentence about the user's file.
 * `after` says how far reading got, e.g. "after 1235 data rows (last complete row: row 1234)".
 */
export function explainReadFailure(
  error: unknown,
  name: string,
  container: DatasetFormat["container"],
  after: string,
): DatasetError {
  if (error instanceof DatasetError) return error;
  const { code, message } = error as { code?: string; message?: string };
  const detail = message ?? String(error);
  const options = { cause: error };
  if (code === LINE_TOO_LONG) {
    return new DatasetError(`${name} has a line longer than 1 MiB ${after}: it is damaged or not a FER CSV`, options);
  }
  if (code === "Z_BUF_ERROR") {
    const stream = container === "zip" ? "a compressed zip entry" : "the gzip stream";
    return new DatasetError(`${name} ends early: ${stream} is truncated ${after}`, options);
  }
  if (typeof code === "string" && code.startsWith("Z_")) {
    return new DatasetError(`${name} is corrupt: compressed data is invalid (${detail}) ${after}`, options);
  }
  if (/unexpected end of data/i.test(detail)) {
    return new DatasetError(`${name} ends early: the tar archive is truncated ${after}`, options);
  }
  if (/tar header/i.test(detail)) {
    return new DatasetError(`${name} is corrupt: invalid tar header ${after}`, options);
  }
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
    return new DatasetError(`cannot read ${name} ${after}: ${detail}`, options);
  }
  if (container === "zip") return new DatasetError(`${name} is a corrupt zip ${after}: ${detail}`, options);
  return new DatasetError(`${name} could not be read ${after}: ${detail}`, options);
}
