import { z } from "zod";
import { withRole } from "@/app/_lib/auth";
import { queueSettings } from "@/lib/labelling/queue-settings";
import { skipLabelItem } from "@/lib/labelling/skip-label-item";
import { getServices } from "@/lib/runtime/app-services";
import { labellingErrorResponse, NO_STORE, parseLabelBody } from "../_lib/label-response";

export const dynamic = "force-dynamic";

const ZSkip = z.object({ imageId: z.number().int().positive() });

/** Passes on an item: the lease is released and the item is not served to the caller again for the lease period. */
export const POST = withRole("annotator", async (request, _context, user) => {
  const input = await parseLabelBody(request, ZSkip);
  if ("response" in input) return input.response;
  const { db, env } = await getServices();
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
