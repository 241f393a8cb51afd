import type { z } from "zod";
import { readJsonBody } from "@/app/_lib/auth";
import type { LabelBatch } from "@/lib/labelling/claim-label-items";
import { LabellingError } from "@/lib/labelling/labelling-error";
import { toServingModelRef } from "@/lib/model-versions/serving-model-ref";

export const NO_STORE = { "cache-control": "no-store" };

/** A zod failure as a 400 answer naming the first bad field. */
export function invalidInput(error: z.ZodError): Response {
  const issue = error.issues[0];
  const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  return Response.json({ error: `${where}${issue.message}` }, { status: 400, headers: NO_STORE });
}

/** A small JSON body checked against a schema: the parsed value, or the 4xx answer to send. */
export async function parseJsonBody<T>(
  request: Request,
  schema: z.ZodType<T>,
): Promise<{ data: T } | { response: Response }> {
  const read = await readJsonBody(request, 4 * 1024);
  if (!read.ok) return { response: read.response };
  const parsed = schema.safeParse(read.body);
  return parsed.success ? { data: parsed.data } : { response: invalidInput(parsed.error) };
}

/** A LabellingError as its JSON answer; anything else propagates (a 500). */
export function labellingErrorResponse(error: unknown): Response {
  if (error instanceof LabellingError)
    return Response.json({ error: error.message }, { status: error.status, headers: NO_STORE });
  throw error;
}

/** The wire shape of GET /api/label/next. */
export function labelBatchJson(batch: LabelBatch) {
  return {
    items: batch.items.map((item) => ({
      imageId: item.imageId,
      imageUrl: `/api/images/${item.imageId}`,
      leaseExpiresAt: item.leaseExpiresAt.toISOString(),
      blind: item.blind,
      labels: item.labels,
    })),
    servingModel: batch.servingModel ? toServingModelRef(batch.servingModel) : null,
  };
}
