import { requirePageRole } from "@/app/_lib/auth";
import { RefreshWhileBuilding } from "@/components/datasets/refresh-while-building";
import { SnapshotCard } from "@/components/datasets/snapshot-card";
import { SnapshotForm } from "@/components/datasets/snapshot-form";
import { FaceImage } from "@/components/face-image";
import { LabelDistribution } from "@/components/label-distribution";
import { PageHeader } from "@/components/page-header";
import { getDatasetOverview, listSampleImages } from "@/lib/images/dataset-overview";
import { listImportJobs } from "@/lib/import/import-jobs";
import { hasRole } from "@/lib/auth/roles";
import { getServices } from "@/lib/runtime/app-services";
import { listSnapshots } from "@/lib/snapshots/list-snapshots";
import { DOWNLOAD_ROLE, toSnapshotView } from "@/lib/snapshots/snapshot-view";

export const dynamic = "force-dynamic";

const SPLIT_NAMES = { train: "Train (FER-2013 Training)", val: "Validation (PublicTest)", test: "Test, frozen (PrivateTest)" };

export default async function DatasetsPage() {
  const user = await requirePageRole("annotator", "/datasets");
  const researcher = hasRole(user, DOWNLOAD_ROLE);
  const { db } = await getServices();
  const [overview, jobs, samples, snapshots] = await Promise.all([
    getDatasetOverview(db),
    listImportJobs(db, 10),
    listSampleImages(db, { limit: 24 }),
    listSnapshots(db, 20),
  ]);
  const views = snapshots.map((s) => toSnapshotView(s, user));
  const building = views.some((s) => s.files.some((f) => f.status === "pending" || f.status === "building"));
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

      <section className="mb-8 space-y-3" aria-label="Snapshots">
        <RefreshWhileBuilding building={building} />
        <h2 className="text-sm font-semibold">Snapshots</h2>
        <p className="text-sm text-neutral-600 dark:text-neutral-400">
          A snapshot freezes the curated set into a numbered version that later labels never change, with its files in
          the field&apos;s formats: FER-2013&apos;s <code>fer2013.csv</code> (plain or gzip), FER+-style votes, a JSON Lines
          manifest and the train/test folder layout as a zip.{" "}
          {researcher ? "Downloads resume where they stopped." : "Researchers download them; public ones have a link anyone can use."}
        </p>
        {researcher ? <SnapshotForm /> : null}
        {views.length === 0 ? (
          <p className="text-sm text-neutral-500">No snapshots yet.</p>
        ) : (
          views.map((snapshot) => <SnapshotCard key={snapshot.id} snapshot={snapshot} canManage={researcher} />)
        )}
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
                  {/* Server paths are for those who run the server; annotators see the file's name. */}
                  <td className="max-w-xs truncate" title={researcher ? job.sourcePath : undefined}>
                    {researcher ? job.sourcePath : baseName(job.sourcePath)}
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

function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}
