import { preload } from "react-dom";
import { z } from "zod";
import { requirePageRole } from "@/app/_lib/auth";
import { PageHeader } from "@/components/page-header";
import { STRATEGIES } from "@/components/labelling/label-api";
import { LabellingWorkspace } from "@/components/labelling/labelling-workspace";
import { getServingModelRef } from "@/lib/model-versions/serving-model-ref";
import { getServices } from "@/lib/runtime/app-services";
import { SUGGESTION_BACKENDS } from "@/lib/suggestions/types";

export const dynamic = "force-dynamic";

// Unknown values fall back to the defaults rather than failing the page: these come from hand-edited URLs.
const ZLabelParams = z.object({
  strategy: z.enum(STRATEGIES).catch("unreviewed"),
  /** Forces the suggestion backend (tests, benchmarks, a browser whose choice is wrong). */
  backend: z.enum(SUGGESTION_BACKENDS).nullable().catch(null),
});

export default async function LabelPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const raw = await searchParams;
  const user = await requirePageRole(
    "annotator",
    `/label${typeof raw.strategy === "string" ? `?strategy=${encodeURIComponent(raw.strategy)}` : ""}`,
  );
  const params = ZLabelParams.parse({ strategy: raw.strategy, backend: raw.backend ?? null });
  const { db } = await getServices();
  const serving = await getServingModelRef(db);
  // Fetched from the document head, before the page's scripts even run: the model description and the wasm binary.
  if (serving) preload(serving.modelJsonUrl, { as: "fetch", crossOrigin: "anonymous" });
  if (params.backend === null || params.backend === "wasm") {
    preload("/api/tfjs-wasm/tfjs-backend-wasm-simd.wasm", { as: "fetch", crossOrigin: "anonymous" });
  }
  return (
    <>
      <PageHeader title="Label">
        Keys 1-7 label the emotion, 0 not a face, Enter accepts the suggestion, Space skips, Z undoes, ? shows the keys.
      </PageHeader>
      <LabellingWorkspace
        userId={user.id}
        strategy={params.strategy}
        initialServingModel={serving}
        forceBackend={params.backend}
      />
    </>
  );
}
