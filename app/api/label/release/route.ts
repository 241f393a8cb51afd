import { z } from "zod";
import { withRole } from "@/app/_lib/auth";
import { parseJsonBody } from "@/app/_lib/json-body";
import { releaseLabelLeases } from "@/lib/labelling/release-label-leases";
import { getServices } from "@/lib/runtime/app-services";
import { NO_STORE } from "../_lib/label-response";

export const dynamic = "force-dynamic";

const ZRelease = z.object({ keep: z.array(z.number().int().positive()).max(2000).default([]) });

/** Gives back the caller's held items except `keep` (a strategy switch: the new strategy's items come first). */
export const POST = withRole("annotator", async (request, _context, user) => {
  const input = await parseJsonBody(request, ZRelease, { maxBytes: 32 * 1024, headers: NO_STORE });
  if ("response" in input) return input.response;
  const { db } = await getServices();
  const { released } = await releaseLabelLeases(db, { annotatorId: user.id, keep: input.data.keep });
  return Response.json({ released }, { headers: NO_STORE });
});
