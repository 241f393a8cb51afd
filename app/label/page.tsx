import { FaceImage } from "@/components/face-image";
import { PageHeader } from "@/components/page-header";
import { listSampleImages } from "@/lib/images/dataset-overview";
import { getServices } from "@/lib/runtime/app-services";

export const dynamic = "force-dynamic";

export default async function LabelPage() {
  const { db } = await getServices();
  const faces = await listSampleImages(db, { split: "train", limit: 12 });
  return (
    <>
      <PageHeader title="Label">
        The keyboard-first labelling workspace (queue, leases, in-browser suggestions) is not built yet. These are
        training faces waiting for it.
      </PageHeader>
      <div className="flex flex-wrap gap-3">
        {faces.map((id) => (
          <FaceImage key={id} id={id} size={144} />
        ))}
      </div>
    </>
  );
}
