import { withEdgeRole } from "@/app/_lib/edge-auth";
import { getServingModelRef } from "@/lib/model-versions/serving-model-ref";

export const dynamic = "force-dynamic";
// The labelling hot path runs on the edge runtime: Web APIs only (see app/_lib/edge-auth.ts).
export const runtime = "edge";

/** The version the labelling page takes suggestions from. Never cached: browsers poll it to pick up a new version. */
export const GET = withEdgeRole("annotator", async (_request, _context, _user, { db }) => {
  const serving = await getServingModelRef(db);
  if (!serving) {
    return Response.json(
      { error: "no model version is serving yet" },
      { status: 404, headers: { "cache-control": "no-store" } },
    );
  }
  return Response.json(serving, { headers: { "cache-control": "no-store" } });
});
