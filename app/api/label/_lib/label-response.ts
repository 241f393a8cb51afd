import type { z } from "zod";
import { invalidInput, parseJsonBody } from "@/app/_lib/json-body";
import type { LabelBatch } from "@/lib/labelling/claim-label-items";
import { LabellingError } from "@/lib/labelling/labelling-error";
import { toServingModelRef } from "@/lib/model-versions/serving-model-ref";

export const NO_STORE = { "cache-control": "no-store" };

/** A small JSON body checked against a schema, answering 4xx without caching. */
export function parseLabelBody<T>(request: Request, schema: z.ZodType<T>) {
  return parseJsonBody(request, schema, { headers: NO_STORE });
}

export function invalidLabelInput(error: z.ZodError): Response {
  return invalidInput(error, NO_STORE);
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
