/**
 * A database failure as a sentence for a person: drizzle wraps driver errors as "Failed query: <sql> params: ..."
 * (which may hold whole batches of data); what matters is the driver's own message, its SQLSTATE and its detail.
 */
export function describeDatabaseError(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const { message, code, detail } = current as Error & { code?: string; detail?: string };
    if (!message.startsWith("Failed query:")) {
      const state = typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? ` (SQLSTATE ${code})` : "";
      return `${message}${state}${detail ? `: ${detail}` : ""}`;
    }
    current = current.cause;
  }
  return "the database refused the write";
}
