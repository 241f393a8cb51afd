import { z } from "zod";
import { withEdgeRole } from "@/app/_lib/edge-auth";
import { claimLabelItems } from "@/lib/labelling/claim-label-items";
import { LABEL_STRATEGIES } from "@/lib/labelling/label-strategies";
import { queueSettings } from "@/lib/labelling/queue-settings";
import { invalidLabelInput, labelBatchJson, NO_STORE } from "../_lib/label-response";

export const dynamic = "force-dynamic";
// The labelling hot path runs on the edge runtime: Web APIs only (see app/_lib/edge-auth.ts).
export const runtime = "edge";

const ZNextQuery = z.object({
  strategy: z.enum(LABEL_STRATEGIES).default("unreviewed"),
  count: z.coerce.number().int().min(1).max(20).default(5),
});

/** The next items to label: the caller's own unexpired leases first, then new ones leased to them. */
export const GET = withEdgeRole("annotator", async (request, _context, user, { db, env }) => {
  const parsed = ZNextQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return invalidLabelInput(parsed.error);
  const batch = await claimLabelItems(db, { annotatorId: user.id, ...parsed.data, settings: queueSettings(env) });
  return Response.json(labelBatchJson(batch), { headers: NO_STORE });
});
