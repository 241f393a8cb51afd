/** A snapshot id from a URL segment, or null unless it is a positive integer. */
export function parseSnapshotId(text: string): number | null {
  if (!/^\d{1,9}$/.test(text)) return null;
  const id = Number(text);
  return id > 0 ? id : null;
}
