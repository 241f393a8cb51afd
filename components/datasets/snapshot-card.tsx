import { LabelDistribution } from "@/components/label-distribution";
import type { SnapshotView } from "@/lib/snapshots/snapshot-view";
import { AgreementBars } from "./agreement-bars";
import { PublicToggle } from "./public-toggle";

const SPLIT_TITLES = { train: "train", val: "val (PublicTest)", test: "test (PrivateTest)" } as const;
const METHOD_NAMES = { original: "FER-2013 original", majority: "majority", "dawid-skene": "Dawid-Skene", soft: "soft" } as const;

function formatBytes(n: number | null): string {
  if (n === null) return "–";
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** One snapshot: what it holds (charts), how it was made, its files with sizes and download links. */
export function SnapshotCard({ snapshot, canManage }: { snapshot: SnapshotView; canManage: boolean }) {
  const { filter, stats } = snapshot;
  const excluded = Object.entries(stats.excluded).filter(([, n]) => n > 0);
  return (
    <article aria-label={`Snapshot v${snapshot.version}`} className="space-y-4 rounded-lg border border-neutral-200 p-4 dark:border-neutral-800">
      <header className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h3 className="text-base font-semibold">
          v{snapshot.version} · {snapshot.name}
        </h3>
        <span className="text-sm text-neutral-600 dark:text-neutral-400">
          {snapshot.imageCount.toLocaleString("en")} faces · {METHOD_NAMES[filter.labelMethod]} labels · {filter.splits.join(", ")}
          {filter.minConfidence > 0 ? ` · confidence ≥ ${Math.round(filter.minConfidence * 100)} %` : ""}
        </span>
        <span className="text-xs text-neutral-500">
          made {snapshot.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC{snapshot.createdBy ? ` by ${snapshot.createdBy}` : ""}
        </span>
        {snapshot.publicUrl ? <span className="rounded bg-emerald-100 px-1.5 text-xs text-emerald-800">public</span> : null}
        {canManage ? <PublicToggle snapshotId={snapshot.id} isPublic={snapshot.publicUrl !== null} /> : null}
      </header>
      <p className="text-xs text-neutral-500">
        {stats.relabelled.toLocaleString("en")} faces labelled differently from FER-2013 · {stats.withCrowdVotes.toLocaleString("en")} with FER+ votes ·{" "}
        {stats.withPeopleLabels.toLocaleString("en")} with people&apos;s labels
        {excluded.length > 0 ? ` · left out: ${excluded.map(([reason, n]) => `${n.toLocaleString("en")} ${reason}`).join(", ")}` : ""}
      </p>
      <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-4">
        {filter.splits.map((split) => (
          <LabelDistribution key={split} counts={stats.counts[split]} title={SPLIT_TITLES[split]} />
        ))}
        <AgreementBars mean={stats.agreement.mean} images={stats.agreement.images} />
      </div>
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-neutral-500">
          <tr>
            <th className="py-1">File</th>
            <th>What</th>
            <th className="text-right">Size</th>
            <th>SHA-256</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {snapshot.files.map((file) => (
            <tr key={file.name} className="border-t border-neutral-200 dark:border-neutral-800">
              <td className="py-1 font-mono text-xs">{file.name}</td>
              <td className="text-xs text-neutral-600 dark:text-neutral-400">{file.what}</td>
              <td className="text-right tabular-nums">{formatBytes(file.sizeBytes)}</td>
              <td className="max-w-[10rem] truncate font-mono text-xs" title={file.sha256 ?? undefined}>
                {file.sha256 ?? ""}
              </td>
              <td className="text-right">
                {file.status === "ready" ? (
                  file.url ? (
                    <a href={file.url} download className="text-sky-700 underline dark:text-sky-400">
                      Download
                    </a>
                  ) : (
                    <span className="text-xs text-neutral-500">researchers only</span>
                  )
                ) : file.status === "failed" ? (
                  <span className="text-xs text-red-700" title={file.error ?? undefined}>
                    failed
                  </span>
                ) : (
                  <span className="inline-flex items-center gap-2 text-xs text-neutral-500">
                    <progress max={1} value={file.progress} className="h-2 w-20" aria-label={`${file.name} progress`} />
                    {file.status === "pending" ? "waiting" : `${Math.round(file.progress * 100)} %`}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {snapshot.publicUrl ? (
        <p className="text-xs text-neutral-600 dark:text-neutral-400">
          Public link (anyone can download): <code className="break-all">{snapshot.publicUrl}/&lt;file&gt;</code>
        </p>
      ) : null}
    </article>
  );
}
