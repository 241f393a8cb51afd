import { z } from "zod";
import { withRole } from "@/app/_lib/auth";
import { queueSettings } from "@/lib/labelling/queue-settings";
import { undoAnnotation } from "@/lib/labelling/undo-annotation";
import { getServices } from "@/lib/runtime/app-services";
import { invalidLabelInput, labellingErrorResponse, NO_STORE } from "../../_lib/label-response";

export const dynamic = "force-dynamic";

const ZParams = z.object({ clientRequestId: z.guid("must be a UUID") });

/** Undoes one of the caller's own labels; the image is leased back to them so they can label it again. */
export const DELETE = withRole(
  "annotator",
  async (_request, context: { params: Promise<{ clientRequestId: string }> }, user) => {
    const parsed = ZParams.safeParse(await context.params);
    if (!parsed.success) return invalidLabelInput(parsed.error);
    const { db, env } = await getServices();
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
