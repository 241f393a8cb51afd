import { z } from "zod";
import { withRole } from "@/app/_lib/auth";
import { parseJsonBody } from "@/app/_lib/json-body";
import { getServices } from "@/lib/runtime/app-services";
import { getSnapshot } from "@/lib/snapshots/list-snapshots";
import { parseSnapshotId } from "@/lib/snapshots/parse-snapshot-id";
import { setSnapshotPublic } from "@/lib/snapshots/set-snapshot-public";
import { toSnapshotView } from "@/lib/snapshots/snapshot-view";

const ZPublic = z.object({ public: z.boolean({ error: "public must be true or false" }) });

/** { public: true } gives the snapshot a link anyone can download from; { public: false } withdraws it. */
export const POST = withRole("researcher", async (request, context: { params: Promise<{ id: string }> }, user) => {
  const id = parseSnapshotId((await context.params).id);
  if (id === null) return Response.json({ error: "snapshot id must be a positive integer" }, { status: 400 });
  const input = await parseJsonBody(request, ZPublic);
  if ("response" in input) return input.response;
  const { db } = await getServices();
  const token = await setSnapshotPublic(db, id, input.data.public, user.id);
  if (token === undefined) return Response.json({ error: `no snapshot ${id}` }, { status: 404 });
  return Response.json({ snapshot: toSnapshotView((await getSnapshot(db, id))!, user) });
});
