import { requirePageRole } from "@/app/_lib/auth";
import { ConfusionMatrix } from "@/components/confusion-matrix";
import { AgreementBars } from "@/components/curation/agreement-bars";
import { QueueSettingsForm } from "@/components/curation/queue-settings-form";
import { ScoringRoundButton } from "@/components/curation/scoring-round-button";
import { PageHeader } from "@/components/page-header";
import { getQualityReport } from "@/lib/curation/agreement/quality-report";
import { getCurationSettings } from "@/lib/curation/strategy-ranks/curation-settings";
import { LABEL_STRATEGIES } from "@/lib/labelling/label-strategies";
import { getServices } from "@/lib/runtime/app-services";

export const dynamic = "force-dynamic";

export default async function QualityPage() {
  await requirePageRole("researcher", "/quality");
  const { db } = await getServices();
  const [report, settings] = [await getQualityReport(db), await getCurationSettings(db)];
  const round = report.latestRound;
  return (
    <>
      <PageHeader title="Label quality">
        How much the opinions about each face agree, how each person compares with the Dawid-Skene consensus, and
        what the labelling queue ranks by.
      </PageHeader>
      <section className="mb-8 grid gap-4 md:grid-cols-2">
        {report.agreement.map((a) => (
          <div key={a.scope} className="rounded border border-neutral-200 p-3 dark:border-neutral-800">
            <h2 className="text-sm font-semibold">{a.scope}</h2>
            <p className="mb-2 text-xs text-neutral-500">{a.faces.toLocaleString("en")} faces with two opinions or more</p>
            <dl className="mb-3 grid grid-cols-2 gap-1 text-sm">
              <dt>Fleiss&apos; kappa</dt>
              <dd className="tabular-nums" data-testid="fleiss-kappa">{fixed(a.fleiss.kappa)}</dd>
              <dt>Krippendorff&apos;s alpha (nominal)</dt>
              <dd className="tabular-nums">{fixed(a.krippendorffAlpha)}</dd>
            </dl>
            <AgreementBars title="kappa per class" values={a.fleiss.perCategory} />
          </div>
        ))}
      </section>
      <p className="mb-6 text-sm">
        Consensus: {report.consensusFaces.toLocaleString("en")} faces have a Dawid-Skene label;{" "}
        {report.methodDisagreements.toLocaleString("en")} of them differ from the plain majority vote.
      </p>
      <section className="mb-8">
        <h2 className="mb-2 text-sm font-semibold">Annotators against the Dawid-Skene consensus</h2>
        <table className="w-full text-left text-sm [&_td]:px-2 [&_th]:px-2">
          <thead className="text-xs text-neutral-500">
            <tr>
              <th>Annotator</th>
              <th className="text-right">Labels</th>
              <th>Accuracy</th>
            </tr>
          </thead>
          <tbody>
            {report.annotators.map((a) => (
              <tr key={a.annotatorId} className="border-t border-neutral-200 dark:border-neutral-800">
                <td className="py-1">{a.name}</td>
                <td className="text-right tabular-nums">{a.labels.toLocaleString("en")}</td>
                <td>
                  {Number.isNaN(a.accuracy) ? (
                    "–"
                  ) : (
                    <span className="flex items-center gap-2">
                      <span className="inline-block h-2 bg-sky-500" style={{ width: `${Math.round(a.accuracy * 120)}px` }} />
                      <span className="tabular-nums">{(100 * a.accuracy).toFixed(1)}%</span>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="mt-4 flex flex-wrap gap-6">
          {report.annotators.slice(0, 6).map((a) => (
            <figure key={a.annotatorId}>
              <figcaption className="mb-1 text-xs text-neutral-500">
                {a.name}: {a.estimatedConfusion ? "Dawid-Skene's estimate, % of each true class" : "against consensus"}
              </figcaption>
              <ConfusionMatrix
                matrix={a.estimatedConfusion ? a.estimatedConfusion.map((row) => row.map((p) => Math.round(100 * p))) : a.confusion}
              />
            </figure>
          ))}
        </div>
      </section>
      <section className="mb-8">
        <h2 className="mb-2 text-sm font-semibold">Scoring rounds and the queue</h2>
        <p className="mb-2 text-sm">
          {round
            ? `The latest complete scoring round is #${round.id} (${round.folds}-fold ${round.modelName}, ${round.faces?.toLocaleString("en") ?? "?"} faces scored out of sample, ${round.completedAt?.toISOString().slice(0, 16).replace("T", " ")}). `
            : "No scoring round has completed yet: the model-based strategies fall back to unreviewed faces. "}
          {report.queueRankedFrom !== null ? `The queue's rankings come from round #${report.queueRankedFrom}.` : ""}
        </p>
        <ScoringRoundButton />
      </section>
      <section>
        <h2 className="mb-2 text-sm font-semibold">Queue defaults</h2>
        <QueueSettingsForm strategies={[...LABEL_STRATEGIES]} initial={{ defaultStrategy: settings.defaultStrategy, mix: settings.mix }} />
      </section>
    </>
  );
}

function fixed(value: number): string {
  return Number.isFinite(value) ? value.toFixed(3) : "–";
}
