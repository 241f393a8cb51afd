import { withRole } from "@/app/_lib/auth";
import { getServingModelRef } from "@/lib/model-versions/serving-model-ref";
import { getServices } from "@/lib/runtime/app-services";

export const dynamic = "force-dynamic";

/** The version the labelling page takes suggestions from. Never cached: browsers poll it to pick up a new version. */
export const GET = withRole("annotator", async () => {
  const { db } = await getServices();
  const serving = await getServingModelRef(db);
  if (!serving) {
    return Response.json(
      { error: "no model version is serving yet" },
      { status: 404, headers: { "cache-control": "no-store" } },
    );
  }
  return Response.json(serving, { headers: { "cache-control": "no-store" } });
});
