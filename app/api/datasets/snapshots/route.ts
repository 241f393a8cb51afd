import { after } from "next/server";
import { withRole } from "@/app/_lib/auth";
import { parseJsonBody } from "@/app/_lib/json-body";
import { getServices } from "@/lib/runtime/app-services";
import { buildSnapshotFiles } from "@/lib/snapshots/build-snapshot-files";
import { createSnapshot } from "@/lib/snapshots/create-snapshot";
import { getSnapshot, listSnapshots } from "@/lib/snapshots/list-snapshots";
import { ZCreateSnapshot } from "@/lib/snapshots/snapshot-filter";
import { toSnapshotView } from "@/lib/snapshots/snapshot-view";

/** Every snapshot with its counts and files; download links only for those who may download. */
export const GET = withRole("annotator", async (_request, _context, user) => {
  const { db } = await getServices();
  const snapshots = await listSnapshots(db);
  return Response.json({ snapshots: snapshots.map((s) => toSnapshotView(s, user)) });
});

/**
 * Makes a snapshot: { name, filter } → 201 { snapshot }. Its members are frozen before the answer; its files are
 * written to S3 after it (the page shows their progress).
 */
export const POST = withRole("researcher", async (request, _context, user) => {
  const input = await parseJsonBody(request, ZCreateSnapshot);
  if ("response" in input) return input.response;
  const { db, store } = await getServices();
  const created = await createSnapshot(db, input.data, user.id);
  after(() =>
    buildSnapshotFiles(db, store, created.id).catch((error: unknown) =>
      console.error(`snapshot ${created.id}: ${error instanceof Error ? error.message : String(error)}`),
    ),
  );
  const snapshot = await getSnapshot(db, created.id);
  return Response.json({ snapshot: toSnapshotView(snapshot!, user) }, { status: 201 });
});
