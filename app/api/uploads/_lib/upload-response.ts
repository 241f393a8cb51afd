import type { z } from "zod";
import { readJsonBody } from "@/app/_lib/auth";
import { UploadError } from "@/lib/uploads/upload-error";

/** A small JSON body checked against a schema: the parsed value, or the 4xx answer to send. */
export async function parseJsonBody<T>(
  request: Request,
  schema: z.ZodType<T>,
): Promise<{ data: T } | { response: Response }> {
  const read = await readJsonBody(request, 4 * 1024);
  if (!read.ok) return { response: read.response };
  const parsed = schema.safeParse(read.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    return { response: Response.json({ error: `${where}${issue.message}` }, { status: 400 }) };
  }
  return { data: parsed.data };
}

/** An UploadError as its JSON answer; anything else is ours and propagates (a 500). */
export function uploadErrorResponse(error: unknown): Response {
  if (error instanceof UploadError) return Response.json({ error: error.message }, { status: error.status });
  throw error;
}
