/** A request the labelling queue refuses, with the HTTP status a route answers it with. */
export class LabellingError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = "LabellingError";
  }
}

/** The Postgres error underneath a driver or drizzle error (drizzle wraps it in `cause`), if any. */
export function postgresError(error: unknown): { code?: string; constraint?: string } | null {
  for (
    let e: unknown = error, depth = 0;
    e && typeof e === "object" && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    if (typeof (e as { code?: unknown }).code === "string") return e as { code: string; constraint?: string };
  }
  return null;
}
