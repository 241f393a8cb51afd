import { z } from "zod";
import { withEdgeRole } from "@/app/_lib/edge-auth";
import { claimLabelItems } from "@/lib/labelling/claim-label-items";
import { getCurationSettings } from "@/lib/curation/strategy-ranks/curation-settings";
import type { Database } from "@/lib/db/client";
import { isLabelStrategy, LABEL_STRATEGIES, type LabelStrategy } from "@/lib/labelling/label-strategies";
import { queueSettings } from "@/lib/labelling/queue-settings";
import { invalidLabelInput, labelBatchJson, NO_STORE } from "../_lib/label-response";

export const dynamic = "force-dynamic";
// The labelling hot path runs on the edge runtime: Web APIs only (see app/_lib/edge-auth.ts).
export const runtime = "edge";

const ZNextQuery = z.object({
  /** Absent: the project's default queue (curation settings). */
  strategy: z.enum(LABEL_STRATEGIES).optional(),
  count: z.coerce.number().int().min(1).max(20).default(5),
});

/** The next items to label: the caller's own unexpired leases first, then new ones leased to them. */
export const GET = withEdgeRole("annotator", async (request, _context, user, { db, env }) => {
  const parsed = ZNextQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return invalidLabelInput(parsed.error);
  const strategy = parsed.data.strategy ?? (await defaultStrategy(db));
  const batch = await claimLabelItems(db, {
    annotatorId: user.id,
    strategy,
    count: parsed.data.count,
    settings: queueSettings(env),
  });
  return Response.json(labelBatchJson(batch), { headers: NO_STORE });
});

async function defaultStrategy(db: Database): Promise<LabelStrategy> {
  const { defaultStrategy } = await getCurationSettings(db);
  return isLabelStrategy(defaultStrategy) ? defaultStrategy : "unreviewed";
}
