import Link from "next/link";
import { requirePageRole } from "@/app/_lib/auth";
import { parsePositiveId } from "@/app/_lib/positive-id";
import { FaceImage } from "@/components/face-image";
import { PageHeader } from "@/components/page-header";
import { EMOTION_LABELS, EMOTIONS, type EmotionIndex } from "@/lib/emotions";
import { compareModelVersions } from "@/lib/model-versions/compare-model-versions";
import { getServices } from "@/lib/runtime/app-services";

export const dynamic = "force-dynamic";

const name = (c: number) => EMOTION_LABELS[EMOTIONS[c as EmotionIndex]];
const pct = (v: number) => (Number.isNaN(v) ? "–" : `${(v * 100).toFixed(1)}%`);
const signed = (v: number) => `${v >= 0 ? "+" : ""}${(v * 100).toFixed(1)}`;

export default async function ComparePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageRole("researcher", "/models/compare");
  const raw = (await searchParams).v;
  const ids = (Array.isArray(raw) ? raw : raw ? [raw] : []).map(parsePositiveId);
  if (ids.length !== 2 || ids.some((id) => id === null) || ids[0] === ids[1]) {
    return (
      <>
        <PageHeader title="Compare versions">Tick exactly two different versions on the leaderboard.</PageHeader>
        <Link href="/models" className="text-sky-600 underline">
          Leaderboard
        </Link>
      </>
    );
  }
  const [a, b] = ids as [number, number];
  const { db } = await getServices();
  const comparison = await compareModelVersions(db, a, b);
  if (!comparison) {
    return (
      <PageHeader title={`v${a} against v${b}`}>One of them has no stored test predictions, so there is nothing to pair.</PageHeader>
    );
  }
  const { mcnemar } = comparison;
  const significant = mcnemar.exactP < 0.05;
  return (
    <>
      <PageHeader title={`v${a} against v${b}`}>
        On the {comparison.paired} frozen-test faces both were scored on with the same label
        {comparison.sameTest ? " (the same test)" : " (their tests differ: only the shared faces count)"}.
      </PageHeader>
      <section className="mb-6 text-sm" data-testid="mcnemar">
        <p>
          Accuracy per face: <Link href={`/models/${a}`} className="underline">v{a}</Link> {pct(comparison.a.accuracy)},{" "}
          <Link href={`/models/${b}`} className="underline">v{b}</Link> {pct(comparison.b.accuracy)}.
        </p>
        <p>
          McNemar&apos;s test: {mcnemar.b} faces only v{a} got right, {mcnemar.c} only v{b}; exact p ={" "}
          <b data-testid="mcnemar-p">{mcnemar.exactP.toPrecision(3)}</b> (chi-square with continuity correction{" "}
          {mcnemar.chiSquared.toFixed(2)}, p = {mcnemar.correctedP.toPrecision(3)}).{" "}
          <b>{significant ? "The difference is significant at 5 % on this test set." : "The difference is not significant at 5 % on this test set."}</b>
        </p>
      </section>
      <section className="mb-6">
        <h2 className="mb-2 text-sm font-semibold">Per class</h2>
        <table className="text-xs tabular-nums [&_td]:px-2 [&_th]:px-2" data-testid="per-class-diff">
          <thead className="text-neutral-500">
            <tr>
              <th className="text-left">Class</th>
              <th className="text-right">Recall v{a}</th>
              <th className="text-right">Recall v{b}</th>
              <th className="text-right">Δ points</th>
              <th className="text-right">F1 v{a}</th>
              <th className="text-right">F1 v{b}</th>
              <th className="text-right">Δ points</th>
            </tr>
          </thead>
          <tbody>
            {comparison.a.perClass.map((ma, c) => {
              const mb = comparison.b.perClass[c];
              return (
                <tr key={c}>
                  <td>{name(c)}</td>
                  <td className="text-right">{pct(ma.recall)}</td>
                  <td className="text-right">{pct(mb.recall)}</td>
                  <td className={`text-right ${mb.recall > ma.recall ? "text-green-700" : mb.recall < ma.recall ? "text-red-600" : ""}`}>
                    {signed(mb.recall - ma.recall)}
                  </td>
                  <td className="text-right">{pct(ma.f1)}</td>
                  <td className="text-right">{pct(mb.f1)}</td>
                  <td className="text-right">{signed(mb.f1 - ma.f1)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <section>
        <h2 className="mb-2 text-sm font-semibold">
          Faces whose prediction changed ({comparison.changedCount}
          {comparison.changedCount > comparison.changed.length ? `, first ${comparison.changed.length} shown` : ""})
        </h2>
        <ul className="flex flex-wrap gap-3" data-testid="changed-items">
          {comparison.changed.map((item) => (
            <li key={item.imageId} className="w-28 text-[10px]">
              <Link href={`/items/${item.imageId}`}>
                <FaceImage id={item.imageId} size={96} />
              </Link>
              <div>is {name(item.label)}</div>
              <div className={item.predictedA === item.label ? "text-green-700" : "text-red-600"}>
                v{a}: {name(item.predictedA)} {pct(item.confidenceA)}
              </div>
              <div className={item.predictedB === item.label ? "text-green-700" : "text-red-600"}>
                v{b}: {name(item.predictedB)} {pct(item.confidenceB)}
              </div>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
