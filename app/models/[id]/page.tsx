import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageRole } from "@/app/_lib/auth";
import { parsePositiveId } from "@/app/_lib/positive-id";
import { ConfusionMatrix } from "@/components/confusion-matrix";
import { FaceImage } from "@/components/face-image";
import { PromoteButton } from "@/components/models/promote-button";
import { ReliabilityDiagram } from "@/components/models/reliability-diagram";
import { PageHeader } from "@/components/page-header";
import { RunCurves } from "@/components/runs/run-curves";
import { EMOTION_LABELS, EMOTIONS, type EmotionIndex } from "@/lib/emotions";
import { getVersionPage } from "@/lib/model-versions/get-version-page";
import { getVersionReport } from "@/lib/model-versions/version-report";
import { getServices } from "@/lib/runtime/app-services";

export const dynamic = "force-dynamic";

const name = (c: number) => EMOTION_LABELS[EMOTIONS[c as EmotionIndex]];
const pct = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? "–" : `${(v * 100).toFixed(1)}%`);

export default async function ModelVersionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  await requirePageRole("researcher", `/models/${encodeURIComponent(raw)}`);
  const id = parsePositiveId(raw);
  if (id === null) notFound();
  const { db } = await getServices();
  const [version, report] = await Promise.all([getVersionPage(db, id), getVersionReport(db, id)]);
  if (!version) notFound();
  return (
    <>
      <PageHeader title={`${version.modelName} v${version.id}`}>
        {version.version} · {version.origin === "imported" ? "imported from outside" : `trained by run #${version.run?.id ?? "?"}`}
        {version.serving ? " · serving" : ""}
      </PageHeader>
      <div className="mb-6 flex flex-wrap items-center gap-4 text-sm">
        {version.serving ? (
          <span className="rounded bg-green-100 px-2 py-0.5 text-green-800" data-testid="serving-badge">
            serving suggestions now
          </span>
        ) : (
          <PromoteButton versionId={version.id} label="Make this the serving version" />
        )}
        <a href={`/api/models/${version.id}/download`} className="text-sky-600 underline">
          Download (zip of the tfjs files)
        </a>
        <Link href="/models" className="text-sky-600 underline">
          Leaderboard
        </Link>
      </div>

      <section className="mb-6 grid gap-2 text-sm sm:grid-cols-2">
        <dl className="grid grid-cols-[10rem_1fr] gap-x-2 text-xs">
          <dt className="text-neutral-500">Parameters</dt>
          <dd>{version.paramCount?.toLocaleString("en") ?? "–"}</dd>
          <dt className="text-neutral-500">Weights</dt>
          <dd>{version.weightBytes === null ? "–" : `${(version.weightBytes / 1e6).toFixed(2)} MB`}</dd>
          <dt className="text-neutral-500">Backend, training time</dt>
          <dd>
            {version.details.backend ?? "–"}, {version.details.trainingSeconds === undefined ? "–" : `${Math.round(version.details.trainingSeconds)} s`}
          </dd>
          <dt className="text-neutral-500">Trained on</dt>
          <dd>
            {version.details.labelPolicy ?? "–"} labels{version.details.trainImages ? `, ${version.details.trainImages} faces` : ""}
          </dd>
          {version.details.classOrder ? (
            <>
              <dt className="text-neutral-500">Imported</dt>
              <dd>
                {version.details.format}, outputs in {version.details.classOrder} order (converted in lib/emotions.ts)
              </dd>
            </>
          ) : null}
          <dt className="text-neutral-500">Val accuracy</dt>
          <dd>{pct(version.valAccuracy)}</dd>
          <dt className="text-neutral-500">Test set</dt>
          <dd>{version.testSetFingerprint ?? "no stored test predictions"}</dd>
        </dl>
        {version.run ? (
          <pre className="overflow-auto rounded bg-neutral-100 p-2 text-[11px] dark:bg-neutral-900" data-testid="run-config">
            {JSON.stringify(version.run.config, null, 2)}
          </pre>
        ) : null}
      </section>

      {version.run && version.run.curves.length > 0 ? (
        <section className="mb-6">
          <h2 className="mb-2 text-sm font-semibold">Curves</h2>
          <RunCurves points={version.run.curves} />
        </section>
      ) : null}

      {report ? (
        <>
          <section className="mb-6 flex flex-wrap gap-8">
            <div>
              <h2 className="mb-2 text-sm font-semibold">
                Confusion on the frozen test split ({report.metrics.count} faces, accuracy per face {pct(report.metrics.accuracy)})
              </h2>
              <ConfusionMatrix matrix={report.metrics.confusion} />
            </div>
            <div>
              <h2 className="mb-2 text-sm font-semibold">Reliability (ECE {report.metrics.ece.toFixed(3)})</h2>
              <ReliabilityDiagram bins={report.reliability} />
            </div>
          </section>
          <section className="mb-6">
            <h2 className="mb-2 text-sm font-semibold">Per class</h2>
            <table className="text-xs tabular-nums [&_td]:px-2 [&_th]:px-2" data-testid="per-class">
              <thead className="text-neutral-500">
                <tr>
                  <th className="text-left">Class</th>
                  <th className="text-right">Precision</th>
                  <th className="text-right">Recall</th>
                  <th className="text-right">F1</th>
                  <th className="text-right">Faces</th>
                </tr>
              </thead>
              <tbody>
                {report.metrics.perClass.map((m, c) => (
                  <tr key={c}>
                    <td>{name(c)}</td>
                    <td className="text-right">{pct(m.precision)}</td>
                    <td className="text-right">{pct(m.recall)}</td>
                    <td className="text-right">{pct(m.f1)}</td>
                    <td className="text-right">{m.support}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="mb-6">
            <h2 className="mb-2 text-sm font-semibold">Hardest test faces: the most confident mistakes</h2>
            <ul className="flex flex-wrap gap-3" data-testid="hardest">
              {report.hardest.map((item) => (
                <li key={item.imageId} className="w-24 text-[10px]">
                  <Link href={`/items/${item.imageId}`}>
                    <FaceImage id={item.imageId} size={96} />
                  </Link>
                  <div>
                    said <b>{name(item.predicted)}</b> {pct(item.confidence)}
                  </div>
                  <div className="text-neutral-500">
                    is {name(item.label)} ({pct(item.trueProbability)})
                  </div>
                </li>
              ))}
            </ul>
          </section>
        </>
      ) : (
        <p className="text-sm text-neutral-500">No per-face test predictions are stored for this version.</p>
      )}
    </>
  );
}
