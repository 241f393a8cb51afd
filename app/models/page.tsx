import { requirePageRole } from "@/app/_lib/auth";
import { ConfusionMatrix } from "@/components/confusion-matrix";
import { PageHeader } from "@/components/page-header";
import { listModelVersions } from "@/lib/model-versions/list-model-versions";
import { getServices } from "@/lib/runtime/app-services";

export const dynamic = "force-dynamic";

export default async function ModelsPage() {
  await requirePageRole("researcher", "/models");
  const { db } = await getServices();
  const versions = await listModelVersions(db);
  const best = versions.find((v) => v.serving) ?? versions[0];
  // The frozen test split when it has faces; before PrivateTest is imported, the validation split says it instead.
  const shown = best?.testMetrics
    ? { version: best, metrics: best.testMetrics, split: "frozen test split" }
    : best?.valMetrics?.confusion
      ? { version: best, metrics: best.valMetrics, split: "validation split (no test faces yet)" }
      : null;
  return (
    <>
      <PageHeader title="Models">Published model versions, measured on the frozen test split.</PageHeader>
      {versions.length === 0 ? (
        <p className="text-sm text-neutral-500">No model has been published yet.</p>
      ) : (
        <table className="w-full text-left text-sm [&_td]:px-2 [&_th]:px-2">
          <thead className="text-xs text-neutral-500">
            <tr>
              <th className="py-1">Model</th>
              <th>Version</th>
              <th className="text-right">Parameters</th>
              <th className="text-right" title="each distinct val face once, against the run's label policy">
                Val acc. per face
              </th>
              <th className="text-right" title="per FER-2013 PublicTest row, each row's own FER-2013 label (the papers' protocol)">
                Val acc. per FER-2013 row
              </th>
              <th className="text-right" title="averaged with the mirror image / over ten shifted and mirrored views">
                Val acc. with TTA
              </th>
              <th className="text-right" title="each distinct test face once, against the frozen evaluation label set named">
                Test acc. per face
              </th>
              <th className="text-right" title="per FER-2013 PrivateTest row, each row's own FER-2013 label">
                Test acc. per FER-2013 row
              </th>
              <th className="text-right">Test macro-F1</th>
              <th className="text-right">Test ECE</th>
              <th>Published</th>
              <th>Serving</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id} className="border-t border-neutral-200 dark:border-neutral-800">
                <td className="py-1">{v.modelName}</td>
                <td>{v.version}</td>
                <td className="text-right tabular-nums">{v.paramCount?.toLocaleString("en") ?? "–"}</td>
                <td className="text-right tabular-nums" title={v.valMetrics?.labels ? `${v.valMetrics.labels} labels` : undefined}>
                  {percent(v.valMetrics?.accuracy)}
                </td>
                <td className="text-right tabular-nums">{percent(v.valMetrics?.perRow?.accuracy)}</td>
                <td className="text-right tabular-nums">{withViews(v.valMetrics?.viewAveragedAccuracy)}</td>
                <td className="text-right tabular-nums" title={v.testMetrics?.labels ? `label set ${v.testMetrics.labels}` : undefined}>
                  {percent(v.testMetrics?.accuracy)}
                </td>
                <td className="text-right tabular-nums">{percent(v.testMetrics?.perRow?.accuracy)}</td>
                <td className="text-right tabular-nums">{percent(v.testMetrics?.macroF1)}</td>
                <td className="text-right tabular-nums">{v.testMetrics ? v.testMetrics.ece.toFixed(3) : "–"}</td>
                <td>{v.publishedAt?.toISOString().slice(0, 16).replace("T", " ") ?? "–"}</td>
                <td title={v.record.promotion?.reason}>{v.serving ? "yes" : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown ? (
        <section className="mt-8">
          <h2 className="mb-2 text-sm font-semibold">
            {shown.version.modelName} {shown.version.version}: confusion on the {shown.split} ({shown.metrics.count}{" "}
            faces)
          </h2>
          <ConfusionMatrix matrix={shown.metrics.confusion} />
        </section>
      ) : null}
    </>
  );
}

function withViews(accuracy: { flip: number; shiftFlip: number } | undefined): string {
  return accuracy ? `${percent(accuracy.flip)} / ${percent(accuracy.shiftFlip)}` : "–";
}

function percent(value: number | undefined): string {
  return value === undefined ? "–" : `${(value * 100).toFixed(1)}%`;
}
