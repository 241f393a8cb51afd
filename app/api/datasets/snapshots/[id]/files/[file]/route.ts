import { withRole } from "@/app/_lib/auth";
import { getServices } from "@/lib/runtime/app-services";
import { getSnapshot } from "@/lib/snapshots/list-snapshots";
import { parseSnapshotId } from "@/lib/snapshots/parse-snapshot-id";
import { snapshotFileResponse } from "@/lib/snapshots/snapshot-file-response";
import { DOWNLOAD_ROLE } from "@/lib/snapshots/snapshot-view";

type Params = { params: Promise<{ id: string; file: string }> };

/**
 * Downloads one file of a snapshot: a redirect to a presigned S3 GET (resumable there), or `?via=app` streamed through
 * here with Range, If-Range and ETag. Public snapshots are also served to anyone at /api/datasets/public/<token>/<file>.
 */
export const GET = withRole(DOWNLOAD_ROLE, async (request: Request, context: Params) => {
  const { id: idText, file } = await context.params;
  const id = parseSnapshotId(idText);
  if (id === null) return Response.json({ error: "snapshot id must be a positive integer" }, { status: 400 });
  const { db, store } = await getServices();
  const snapshot = await getSnapshot(db, id);
  if (!snapshot) return Response.json({ error: `no snapshot ${id}` }, { status: 404 });
  return snapshotFileResponse(request, snapshot, file, store);
});
