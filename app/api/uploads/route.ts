import { withRole } from "@/app/_lib/auth";
import { getServices } from "@/lib/runtime/app-services";
import { listUploadedFaces } from "@/lib/uploads/upload-records";

const LIST_LIMIT = 200;

/** The signed-in user's uploaded faces that are in the dataset, newest first. */
export const GET = withRole("annotator", async (_request, _context, user) => {
  const { db } = await getServices();
  const faces = await listUploadedFaces(db, user.id, LIST_LIMIT);
  return Response.json(
    {
      uploads: faces.map((f) => ({ ...f, imageUrl: `/api/images/${f.imageId}`, createdAt: f.createdAt.toISOString() })),
    },
    { headers: { "cache-control": "no-store" } },
  );
});
