import { z } from "zod";
import { withEdgeRole } from "@/app/_lib/edge-auth";
import { saveAnnotation } from "@/lib/labelling/save-annotation";
import { labellingErrorResponse, NO_STORE, parseLabelBody } from "../_lib/label-response";

export const dynamic = "force-dynamic";
// The labelling hot path runs on the edge runtime: Web APIs only (see app/_lib/edge-auth.ts).
export const runtime = "edge";

const label = z.number().int().min(-1).max(6);
const ZSaveAnnotation = z.object({
  /** The browser's id for this decision (a UUID): retries with the same id never double the label. */
  clientRequestId: z.guid("must be a UUID"),
  imageId: z.number().int().positive(),
  label,
  durationMs: z.number().int().min(0).max(86_400_000).nullable().default(null),
  suggestedLabel: label.nullable().default(null),
  suggestionModelVersionId: z.number().int().positive().nullable().default(null),
  /** Ignored: the server decided which items are blind when it served them (kept so older pages still save). */
  blind: z.boolean().optional(),
});

/** Saves a label on an item the caller holds (idempotent by clientRequestId) and releases their lease; 409 otherwise. */
export const POST = withEdgeRole("annotator", async (request, _context, user, { db, env }) => {
  const input = await parseLabelBody(request, ZSaveAnnotation);
  if ("response" in input) return input.response;
  const { blind: _ignored, ...label } = input.data;
  try {
    const saved = await saveAnnotation(db, { ...label, annotatorId: user.id }, { overlap: env.LABEL_OVERLAP });
    return Response.json(saved, { headers: NO_STORE });
  } catch (error) {
    return labellingErrorResponse(error);
  }
});
