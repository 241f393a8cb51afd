import Link from "next/link";
import { getCurrentUser } from "@/app/_lib/auth";
import { canOpenPage } from "@/app/_lib/route-access";
import { AnnotatorDashboard } from "@/components/annotator-dashboard";
import { Landing } from "@/components/auth/landing";
import { PageHeader } from "@/components/page-header";
import { getDatasetOverview } from "@/lib/images/dataset-overview";
import { getAnnotatorProgress } from "@/lib/labelling/annotator-progress";
import { getServices } from "@/lib/runtime/app-services";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const user = await getCurrentUser();
  if (!user) return <Landing />;
  const { db, env } = await getServices();
  const [overview, progress] = await Promise.all([
    getDatasetOverview(db),
    getAnnotatorProgress(db, { annotatorId: user.id, overlap: env.LABEL_OVERLAP }),
  ]);
  const cards = [
    { href: "/label", title: "Label", text: "Review faces from the keyboard, with model suggestions." },
    { href: "/upload", title: "Upload", text: "Add your own faces to the set." },
    { href: "/datasets", title: "Datasets", text: `${overview.totalImages.toLocaleString("en")} faces, imports, snapshots.` },
    { href: "/runs", title: "Runs", text: "Training runs and their curves." },
    { href: "/models", title: "Models", text: "Model versions on the frozen test split." },
  ].filter((card) => canOpenPage(user, card.href));
  return (
    <>
      <PageHeader title="faceloop">Curating FER-2013 and the models trained on it, people and models in one loop.</PageHeader>
      <AnnotatorDashboard progress={progress} />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {cards.map((card) => (
          <Link
            key={card.href}
            href={card.href}
            className="rounded-lg border border-neutral-200 bg-white p-4 hover:border-neutral-400 dark:border-neutral-800 dark:bg-neutral-950"
          >
            <h2 className="font-medium">{card.title}</h2>
            <p className="mt-1 text-sm text-neutral-600 dark:text-neutral-400">{card.text}</p>
          </Link>
        ))}
      </div>
    </>
  );
}
