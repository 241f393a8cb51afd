import { z } from "zod";
import { withEdgeRole } from "@/app/_lib/edge-auth";
import { parseJsonBody } from "@/app/_lib/json-body";
import { releaseLabelLeases } from "@/lib/labelling/release-label-leases";
import { NO_STORE } from "../_lib/label-response";

export const dynamic = "force-dynamic";
// The labelling hot path runs on the edge runtime: Web APIs only (see app/_lib/edge-auth.ts).
export const runtime = "edge";

const ZRelease = z.object({ keep: z.array(z.number().int().positive()).max(2000).default([]) });

/** Gives back the caller's held items except `keep` (a strategy switch: the new strategy's items come first). */
export const POST = withEdgeRole("annotator", async (request, _context, user, { db }) => {
  const input = await parseJsonBody(request, ZRelease, { maxBytes: 32 * 1024, headers: NO_STORE });
  if ("response" in input) return input.response;
  const { released } = await releaseLabelLeases(db, { annotatorId: user.id, keep: input.data.keep });
  return Response.json({ released }, { headers: NO_STORE });
});
