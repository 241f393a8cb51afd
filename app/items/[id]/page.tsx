import { notFound } from "next/navigation";
import { requirePageRole } from "@/app/_lib/auth";
import { ItemHistoryView } from "@/components/labelling/item-history-view";
import { PageHeader } from "@/components/page-header";
import { hasRole } from "@/lib/auth/roles";
import { parseDatabaseId } from "@/lib/db/parse-database-id";
import { getItemHistory } from "@/lib/labelling-history/get-item-history";
import { getServingModelRef } from "@/lib/model-versions/serving-model-ref";
import { getServices } from "@/lib/runtime/app-services";

export const dynamic = "force-dynamic";

export default async function ItemPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageRole("annotator", `/items/${encodeURIComponent(id)}`);
  const imageId = parseDatabaseId(id);
  if (imageId === null) notFound();
  const { db } = await getServices();
  const [item, serving] = await Promise.all([getItemHistory(db, imageId), getServingModelRef(db)]);
  if (!item) notFound();
  return (
    <>
      <PageHeader title={`Face ${item.id}`}>
        Every label this face received, its votes, and what each model version made of it.
      </PageHeader>
      <ItemHistoryView
        item={item}
        viewer={{ id: user.id, seesIdentities: hasRole(user, "researcher") }}
        serving={serving}
      />
    </>
  );
}
