import { formatBytes, MAX_SOURCE_PHOTO_BYTES, SOURCE_PHOTO_TYPES } from "./upload-limits";

/**
 * The browser's first look at a dropped file, before decoding it: a supported photo type and not so large that
 * decoding it would stall the page. Returns the reason to refuse it, or null.
 */
export function checkSourcePhoto(file: { type: string; size: number; name?: string }): string | null {
  if (!(SOURCE_PHOTO_TYPES as readonly string[]).includes(file.type)) {
    return `unsupported type ${file.type || "(unknown)"}: use a JPEG, PNG or WebP photo`;
  }
  if (file.size > MAX_SOURCE_PHOTO_BYTES) {
    return `too large (${formatBytes(file.size)}; photos up to ${formatBytes(MAX_SOURCE_PHOTO_BYTES)})`;
  }
  if (file.size === 0) return "empty file";
  return null;
}
