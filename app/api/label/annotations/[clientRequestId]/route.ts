import { z } from "zod";
import { withEdgeRole } from "@/app/_lib/edge-auth";
import { queueSettings } from "@/lib/labelling/queue-settings";
import { undoAnnotation } from "@/lib/labelling/undo-annotation";
import { invalidLabelInput, labellingErrorResponse, NO_STORE } from "../../_lib/label-response";

export const dynamic = "force-dynamic";
// The labelling hot path runs on the edge runtime: Web APIs only (see app/_lib/edge-auth.ts).
export const runtime = "edge";

const ZParams = z.object({ clientRequestId: z.guid("must be a UUID") });

/** Undoes one of the caller's own labels; the image is leased back to them so they can label it again. */
export const DELETE = withEdgeRole(
  "annotator",
  async (_request, context: { params: Promise<{ clientRequestId: string }> }, user, { db, env }) => {
    const parsed = ZParams.safeParse(await context.params);
    if (!parsed.success) return invalidLabelInput(parsed.error);
    try {
      const undone = await undoAnnotation(db, {
        annotatorId: user.id,
        clientRequestId: parsed.data.clientRequestId,
        leaseSeconds: queueSettings(env).leaseSeconds,
      });
      return Response.json(
        { undone: true, imageId: undone.imageId, leaseExpiresAt: undone.leaseExpiresAt?.toISOString() ?? null },
        { headers: NO_STORE },
      );
    } catch (error) {
      return labellingErrorResponse(error);
    }
  },
);
