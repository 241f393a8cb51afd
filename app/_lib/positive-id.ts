/** A positive integer id from a path segment, or null. */
export function parsePositiveId(value: string): number | null {
  return /^[1-9]\d{0,9}$/.test(value) && Number(value) <= 2_147_483_647 ? Number(value) : null;
}

export const badId = (what: string) => Response.json({ error: `${what} id must be a positive integer` }, { status: 400 });
