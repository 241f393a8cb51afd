import { requirePageRole } from "@/app/_lib/auth";
import { PageHeader } from "@/components/page-header";
import { UploadWorkspace } from "@/components/upload/upload-workspace";
import { getServices } from "@/lib/runtime/app-services";
import { listUploadedFaces } from "@/lib/uploads/upload-records";

export const dynamic = "force-dynamic";

export default async function UploadPage() {
  const user = await requirePageRole("annotator", "/upload");
  const { db } = await getServices();
  const uploads = await listUploadedFaces(db, user.id, 200);
  return (
    <>
      <PageHeader title="Upload">
        Add your own faces to the dataset: crop each photo to one face; it is stored as a 48x48 grayscale training
        image, unlabelled, and joins the labelling queue.
      </PageHeader>
      <UploadWorkspace
        initialUploads={uploads.map((u) => ({
          uploadId: u.uploadId,
          imageId: u.imageId,
          createdAt: u.createdAt.toISOString(),
        }))}
      />
    </>
  );
}
