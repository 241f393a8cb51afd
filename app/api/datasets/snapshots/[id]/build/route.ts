import { after } from "next/server";
import { withRole } from "@/app/_lib/auth";
import { getServices } from "@/lib/runtime/app-services";
import { buildSnapshotFiles } from "@/lib/snapshots/build-snapshot-files";
import { getSnapshot } from "@/lib/snapshots/list-snapshots";
import { parseSnapshotId } from "@/lib/snapshots/parse-snapshot-id";

/** Builds a snapshot's files that failed or whose builder went silent: 202, progress on the snapshot. */
export const POST = withRole("researcher", async (_request, context: { params: Promise<{ id: string }> }) => {
  const id = parseSnapshotId((await context.params).id);
  if (id === null) return Response.json({ error: "snapshot id must be a positive integer" }, { status: 400 });
  const { db, store } = await getServices();
  if (!(await getSnapshot(db, id))) return Response.json({ error: `no snapshot ${id}` }, { status: 404 });
  after(() =>
    buildSnapshotFiles(db, store, id, { retryFailed: true }).catch((error: unknown) =>
      console.error(`snapshot ${id}: ${error instanceof Error ? error.message : String(error)}`),
    ),
  );
  return Response.json({ building: true }, { status: 202 });
});
