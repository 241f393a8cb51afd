import { withRole } from "@/app/_lib/auth";
import { badId, parsePositiveId } from "@/app/_lib/positive-id";
import { getRun } from "@/lib/runs/list-runs";
import { getServices } from "@/lib/runtime/app-services";

export const dynamic = "force-dynamic";

/** One run with its progress, curves and log. */
export const GET = withRole("researcher", async (_request, context: { params: Promise<{ id: string }> }) => {
  const id = parsePositiveId((await context.params).id);
  if (id === null) return badId("run");
  const { db } = await getServices();
  const run = await getRun(db, id);
  if (!run) return Response.json({ error: `no run ${id}` }, { status: 404 });
  return Response.json({ run }, { headers: { "cache-control": "no-store" } });
});
