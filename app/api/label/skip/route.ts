import { z } from "zod";
import { withEdgeRole } from "@/app/_lib/edge-auth";
import { queueSettings } from "@/lib/labelling/queue-settings";
import { skipLabelItem } from "@/lib/labelling/skip-label-item";
import { labellingErrorResponse, NO_STORE, parseLabelBody } from "../_lib/label-response";

export const dynamic = "force-dynamic";
// The labelling hot path runs on the edge runtime: Web APIs only (see app/_lib/edge-auth.ts).
export const runtime = "edge";

const ZSkip = z.object({ imageId: z.number().int().positive() });

/** Passes on an item: the lease is released and the item is not served to the caller again for the lease period. */
export const POST = withEdgeRole("annotator", async (request, _context, user, { db, env }) => {
  const input = await parseLabelBody(request, ZSkip);
  if ("response" in input) return input.response;
  try {
    const { skippedUntil } = await skipLabelItem(db, {
      annotatorId: user.id,
      imageId: input.data.imageId,
      leaseSeconds: queueSettings(env).leaseSeconds,
    });
    return Response.json({ skipped: true, skippedUntil: skippedUntil.toISOString() }, { headers: NO_STORE });
  } catch (error) {
    return labellingErrorResponse(error);
  }
});
