import { randomUUID } from "node:crypto";
import { preload } from "react-dom";
import { z } from "zod";
import { requirePageRole } from "@/app/_lib/auth";
import { labelBatchJson } from "@/app/api/label/_lib/label-response";
import { PageHeader } from "@/components/page-header";
import { STRATEGIES } from "@/components/labelling/label-api";
import { LabellingWorkspace } from "@/components/labelling/labelling-workspace";
import { getCurationSettings } from "@/lib/curation/strategy-ranks/curation-settings";
import { claimLabelItems } from "@/lib/labelling/claim-label-items";
import { queueSettings } from "@/lib/labelling/queue-settings";
import { getServingModelRef } from "@/lib/model-versions/serving-model-ref";
import { getServices } from "@/lib/runtime/app-services";
import { SUGGESTION_BACKENDS } from "@/lib/suggestions/types";

export const dynamic = "force-dynamic";

/** Faces claimed while rendering: the one on screen and the buffer the page keeps ahead. */
const FIRST_CLAIM = 6;

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
  const { db, env } = await getServices();
  // No strategy asked for: the project's default queue (set on /quality).
  const strategy = raw.strategy ?? (await getCurationSettings(db)).defaultStrategy;
  const params = ZLabelParams.parse({ strategy, backend: raw.backend ?? null });
  // The first faces are claimed here, so the first face's image is requested by the HTML itself, alongside the
  // model files and the scripts, instead of after the page's code has loaded and asked for a queue.
  const [serving, batch] = await Promise.all([
    getServingModelRef(db),
    claimLabelItems(db, {
      annotatorId: user.id,
      strategy: params.strategy,
      count: FIRST_CLAIM,
      settings: queueSettings(env),
    }).catch(() => null), // the page's own queue request tries again and reports what fails
  ]);
  const initialQueue = batch ? labelBatchJson(batch) : null;
  // A new render (a strategy switch, a refresh) remounts the workspace: its claimed queue starts a new session.
  const renderId = randomUUID();
  const first = initialQueue?.items[0];
  if (first) preload(first.imageUrl, { as: "image", fetchPriority: "high" });
  // Fetched from the document head, before the page's scripts even run: the model description and the wasm binary.
  if (serving) preload(serving.modelJsonUrl, { as: "fetch", crossOrigin: "anonymous" });
  if (params.backend === null || params.backend === "wasm") {
    preload("/api/tfjs-wasm/tfjs-backend-wasm-simd.wasm", { as: "fetch", crossOrigin: "anonymous" });
  }
  return (
    <>
      <PageHeader title="Label">
        <span className="pointer-coarse:hidden">
          Keys 1-7 label the emotion, 0 not a face, Enter accepts the suggestion, Space skips, Z undoes, ? shows the
          keys.
        </span>
        <span className="hidden pointer-coarse:inline">Tap a label. Swipe the face sideways to skip it.</span>
      </PageHeader>
      <LabellingWorkspace
        key={renderId}
        userId={user.id}
        strategy={params.strategy}
        initialServingModel={serving}
        forceBackend={params.backend}
        initialQueue={initialQueue}
        renderId={renderId}
      />
    </>
  );
}
