import Link from "next/link";
import { requirePageRole } from "@/app/_lib/auth";
import { PageHeader } from "@/components/page-header";
import { EMOTION_LABELS, EMOTIONS } from "@/lib/emotions";
import { defaultDirection, getLeaderboard, type LeaderboardRow, type LeaderboardSort, ZLeaderboardQuery } from "@/lib/model-versions/leaderboard";
import { getServices } from "@/lib/runtime/app-services";

export const dynamic = "force-dynamic";

type Search = Record<string, string | string[] | undefined>;

export default async function ModelsPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageRole("researcher", "/models");
  const raw = await searchParams;
  const parsed = ZLeaderboardQuery.safeParse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const query = parsed.success ? parsed.data : ZLeaderboardQuery.parse({});
  const { db } = await getServices();
  const board = await getLeaderboard(db, query);
  const pages = Math.max(1, Math.ceil(board.total / board.pageSize));
  const href = (changes: Partial<{ sort: LeaderboardSort; dir: string; page: number }>) => {
    const next = { sort: board.sort, dir: board.dir, page: board.page, ...changes };
    return `/models?${new URLSearchParams({ sort: next.sort, dir: next.dir, page: String(next.page) })}`;
  };
  const header = (sort: LeaderboardSort, label: string, title?: string) => {
    const active = board.sort === sort;
    const dir = active ? (board.dir === "asc" ? "desc" : "asc") : defaultDirection(sort);
    return (
      <th className="text-right" title={title} aria-sort={active ? (board.dir === "asc" ? "ascending" : "descending") : undefined}>
        <Link href={href({ sort, dir, page: 1 })} className={active ? "font-semibold text-sky-700" : ""}>
          {label}
          {active ? (board.dir === "asc" ? " ▲" : " ▼") : ""}
        </Link>
      </th>
    );
  };
  return (
    <>
      <PageHeader title="Models">
        Every published version, measured on the frozen test split (accuracy per face: each distinct test image counts
        once). Versions that took another test (other faces or other labels) are marked and not ranked. Tick two to
        compare them.
      </PageHeader>
      <p className="mb-3 flex gap-4 text-sm">
        <Link href="/models/import" className="text-sky-600 underline">
          Import an outside model
        </Link>
        <span className="text-xs text-neutral-500">reference test: {board.referenceFingerprint ?? "none yet"}</span>
      </p>
      {board.total === 0 ? (
        <p className="text-sm text-neutral-500">No model has been published yet.</p>
      ) : (
        <form action="/models/compare" className="overflow-x-auto">
          <table className="w-full text-left text-xs [&_td]:px-1.5 [&_th]:px-1.5" data-testid="leaderboard">
            <thead className="text-neutral-500">
              <tr>
                <th>Cmp</th>
                <th className="py-1">#</th>
                <th>Version</th>
                {header("accuracy", "Acc. (face)", "accuracy per face on the frozen test split")}
                {header("accuracyPerRow", "Acc. (row)", "accuracy per FER-2013 row on the frozen test split, where measured")}
                {header("macroF1", "Macro-F1")}
                {EMOTIONS.map((e, c) => header(`recall-${c}` as LeaderboardSort, `R ${EMOTION_LABELS[e].slice(0, 3)}`, `recall of ${EMOTION_LABELS[e]}`))}
                {header("ece", "ECE", "expected calibration error, 15 bins")}
                {header("params", "Params")}
                {header("weightBytes", "Size")}
                {header("trainingSeconds", "Train time")}
                {header("backend", "Backend")}
                <th>Trained on</th>
                <th>Test set</th>
                {header("published", "Published")}
                <th>Serving</th>
              </tr>
            </thead>
            <tbody>
              {board.rows.map((row) => (
                <LeaderboardLine key={row.id} row={row} />
              ))}
            </tbody>
          </table>
          <div className="mt-3 flex items-center gap-3 text-sm">
            <button type="submit" className="rounded border px-2 py-0.5">
              Compare the two ticked
            </button>
            <span className="ml-auto">
              {board.page > 1 ? <Link href={href({ page: board.page - 1 })}>← previous</Link> : null}
              <span className="mx-2 text-neutral-500">
                page {board.page} of {pages} ({board.total} versions)
              </span>
              {board.page < pages ? <Link href={href({ page: board.page + 1 })}>next →</Link> : null}
            </span>
          </div>
        </form>
      )}
    </>
  );
}

function LeaderboardLine({ row }: { row: LeaderboardRow }) {
  return (
    <tr
      className={`border-t border-neutral-200 tabular-nums dark:border-neutral-800 ${row.comparable ? "" : "text-neutral-400"}`}
      data-testid={`leaderboard-row-${row.id}`}
      data-rank={row.rank ?? ""}
    >
      <td>
        <input type="checkbox" name="v" value={row.id} aria-label={`compare version ${row.id}`} />
      </td>
      <td className="py-1">{row.rank ?? <span title="measured on another test set or label set: not ranked">≠</span>}</td>
      <td>
        <Link href={`/models/${row.id}`} className="text-sky-700 underline">
          {row.modelName} v{row.id}
        </Link>
        {row.origin === "imported" ? <span className="ml-1 rounded bg-amber-100 px-1 text-amber-800">outside</span> : null}
      </td>
      <td className="text-right" data-testid="accuracy">{percent(row.accuracy)}</td>
      <td className="text-right">{percent(row.accuracyPerRow)}</td>
      <td className="text-right">{percent(row.macroF1)}</td>
      {row.recall.map((r, c) => (
        <td key={c} className="text-right">
          {percent(r, 0)}
        </td>
      ))}
      <td className="text-right">{row.ece?.toFixed(3) ?? "–"}</td>
      <td className="text-right">{row.paramCount?.toLocaleString("en") ?? "–"}</td>
      <td className="text-right">{row.weightBytes === null ? "–" : `${(row.weightBytes / 1e6).toFixed(2)} MB`}</td>
      <td className="text-right">{row.trainingSeconds === null ? "–" : `${Math.round(row.trainingSeconds)} s`}</td>
      <td>{row.backend ?? "–"}</td>
      <td title={row.trainFingerprint ?? undefined}>
        {row.labelPolicy ? `${row.labelPolicy}${row.trainImages ? `, ${row.trainImages} faces` : ""}` : "–"}
        {row.trainFingerprint ? <span className="text-neutral-400"> {row.trainFingerprint.slice(0, 8)}</span> : null}
      </td>
      <td title={row.testSetFingerprint ?? "no stored test predictions"}>
        {row.evaluationLabelSet ?? "–"}, {row.testCount ?? "–"} faces{row.comparable ? "" : " (other test)"}
      </td>
      <td>{row.publishedAt?.toISOString().slice(0, 16).replace("T", " ") ?? "–"}</td>
      <td>{row.serving ? "serving" : ""}</td>
    </tr>
  );
}

function percent(value: number | null, digits = 1): string {
  return value === null ? "–" : `${(value * 100).toFixed(digits)}%`;
}
