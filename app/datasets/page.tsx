import { requirePageRole } from "@/app/_lib/auth";
import { FaceImage } from "@/components/face-image";
import { LabelDistribution } from "@/components/label-distribution";
import { PageHeader } from "@/components/page-header";
import { getDatasetOverview, listSampleImages } from "@/lib/images/dataset-overview";
import { listImportJobs } from "@/lib/import/import-jobs";
import { getServices } from "@/lib/runtime/app-services";

export const dynamic = "force-dynamic";

const SPLIT_NAMES = { train: "Train (FER-2013 Training)", val: "Validation (PublicTest)", test: "Test, frozen (PrivateTest)" };

export default async function DatasetsPage() {
  await requirePageRole("annotator", "/datasets");
  const { db } = await getServices();
  const [overview, jobs, samples] = await Promise.all([
    getDatasetOverview(db),
    listImportJobs(db, 10),
    listSampleImages(db, { limit: 24 }),
  ]);
  return (
    <>
      <PageHeader title="Datasets">
        {overview.totalImages.toLocaleString("en")} distinct faces; {overview.duplicateImages.toLocaleString("en")} of them
        appear more than once in the sources. Import more with <code>npm run import -- path/to/fer2013.csv</code>.
      </PageHeader>

      <section className="mb-8 grid gap-4 md:grid-cols-3">
        {(["train", "val", "test"] as const).map((split) => (
          <div key={split} className="space-y-2">
            <h2 className="text-sm font-semibold">{SPLIT_NAMES[split]}</h2>
            <p className="text-xs text-neutral-500">
              {overview.bySplit[split].active.toLocaleString("en")} faces · {overview.bySplit[split].notFace} not a face
            </p>
            <LabelDistribution counts={overview.originalLabels[split]} title="Original labels" />
          </div>
        ))}
      </section>

      <section className="mb-8">
        <h2 className="mb-2 text-sm font-semibold">Labels</h2>
        <p className="text-sm text-neutral-600 dark:text-neutral-400">
          {overview.annotations.fromSources.toLocaleString("en")} from dataset sources,{" "}
          {overview.annotations.fromPeople.toLocaleString("en")} from annotators,{" "}
          {overview.voteRows.toLocaleString("en")} images with FER+ crowd votes.
        </p>
      </section>

      {samples.length > 0 ? (
        <section className="mb-8">
          <h2 className="mb-2 text-sm font-semibold">Latest faces</h2>
          <div className="flex flex-wrap gap-2">
            {samples.map((id) => (
              <FaceImage key={id} id={id} size={72} />
            ))}
          </div>
        </section>
      ) : null}

      <section>
        <h2 className="mb-2 text-sm font-semibold">Imports</h2>
        {jobs.length === 0 ? (
          <p className="text-sm text-neutral-500">No imports yet.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-xs text-neutral-500">
              <tr>
                <th className="py-1">When</th>
                <th>Source</th>
                <th>Format</th>
                <th>Status</th>
                <th className="text-right">Rows</th>
                <th className="text-right">Added</th>
                <th className="text-right">Duplicates</th>
                <th className="text-right">Skipped</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.id} className="border-t border-neutral-200 dark:border-neutral-800">
                  <td className="py-1">{job.startedAt.toISOString().slice(0, 16).replace("T", " ")}</td>
                  <td className="max-w-xs truncate" title={job.sourcePath}>
                    {job.sourcePath}
                  </td>
                  <td>{job.format}</td>
                  <td title={job.error ?? undefined}>{job.status}</td>
                  <td className="text-right tabular-nums">{job.summary?.rowsRead ?? "–"}</td>
                  <td className="text-right tabular-nums">{job.summary?.imagesAdded ?? "–"}</td>
                  <td className="text-right tabular-nums">{job.summary?.duplicatesLinked ?? "–"}</td>
                  <td className="text-right tabular-nums">{job.summary?.skipped ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
