import { getServices } from "@/lib/runtime/app-services";
import { getSnapshotByPublicToken } from "@/lib/snapshots/list-snapshots";
import { snapshotFileResponse } from "@/lib/snapshots/snapshot-file-response";

type Params = { params: Promise<{ token: string; file: string }> };

/** A public snapshot's file, for anyone holding its link; the same streamed, resumable answer as the private route. */
export async function GET(request: Request, context: Params): Promise<Response> {
  const { token, file } = await context.params;
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return Response.json({ error: "no such public snapshot" }, { status: 404 });
  const { db, store } = await getServices();
  const snapshot = await getSnapshotByPublicToken(db, token);
  if (!snapshot) return Response.json({ error: "no such public snapshot (or it was made private)" }, { status: 404 });
  return snapshotFileResponse(request, snapshot, file, store);
}
