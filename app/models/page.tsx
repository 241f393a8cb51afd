import { requirePageRole } from "@/app/_lib/auth";
import { PageHeader } from "@/components/page-header";
import { listModelVersions } from "@/lib/model-versions/list-model-versions";
import { getServices } from "@/lib/runtime/app-services";

export const dynamic = "force-dynamic";

export default async function ModelsPage() {
  await requirePageRole("researcher", "/models");
  const { db } = await getServices();
  const versions = await listModelVersions(db);
  return (
    <>
      <PageHeader title="Models">Published model versions, measured on the frozen test split.</PageHeader>
      {versions.length === 0 ? (
        <p className="text-sm text-neutral-500">No model has been published yet.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-xs text-neutral-500">
            <tr>
              <th className="py-1">Model</th>
              <th>Version</th>
              <th className="text-right">Parameters</th>
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
                <td>{v.publishedAt?.toISOString().slice(0, 16).replace("T", " ") ?? "–"}</td>
                <td>{v.serving ? "yes" : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
