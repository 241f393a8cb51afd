import type { z } from "zod";
import { readJsonBody } from "./auth";

/** A zod failure as a 400 answer naming the first bad field. */
export function invalidInput(error: z.ZodError, headers?: HeadersInit): Response {
  const issue = error.issues[0];
  const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  return Response.json({ error: `${where}${issue.message}` }, { status: 400, headers });
}

/** A small JSON body checked against a schema: the parsed value, or the 4xx answer to send. */
export async function parseJsonBody<T>(
  request: Request,
  schema: z.ZodType<T>,
  options: { maxBytes?: number; headers?: HeadersInit } = {},
): Promise<{ data: T } | { response: Response }> {
  const read = await readJsonBody(request, options.maxBytes ?? 4 * 1024);
  if (!read.ok) return { response: read.response };
  const parsed = schema.safeParse(read.body);
  return parsed.success ? { data: parsed.data } : { response: invalidInput(parsed.error, options.headers) };
}
