/** The largest value of a Postgres integer column: ids above it cannot exist, and sending them makes the query fail. */
export const MAX_DATABASE_ID = 2_147_483_647;

/**
 * A database id from text (a URL segment or query value): plain decimal digits, no sign, no leading zero, within a
 * Postgres integer. `0x10`, `1e3`, `1.0`, ` 7` and `2147483648` are not ids (Number() would accept most of them).
 */
export function parseDatabaseId(text: string | null | undefined): number | null {
  if (typeof text !== "string" || !/^[1-9][0-9]{0,9}$/.test(text)) return null;
  const id = Number(text);
  return id <= MAX_DATABASE_ID ? id : null;
}
