import { withRole } from "@/app/_lib/auth";
import { getServices } from "@/lib/runtime/app-services";
import { getSnapshot } from "@/lib/snapshots/list-snapshots";
import { toSnapshotView } from "@/lib/snapshots/snapshot-view";
import { parseSnapshotId } from "@/lib/snapshots/parse-snapshot-id";

/** One snapshot: counts, files and their build progress. */
export const GET = withRole("annotator", async (_request, context: { params: Promise<{ id: string }> }, user) => {
  const id = parseSnapshotId((await context.params).id);
  if (id === null) return Response.json({ error: "snapshot id must be a positive integer" }, { status: 400 });
  const { db } = await getServices();
  const snapshot = await getSnapshot(db, id);
  if (!snapshot) return Response.json({ error: `no snapshot ${id}` }, { status: 404 });
  return Response.json({ snapshot: toSnapshotView(snapshot, user) });
});
