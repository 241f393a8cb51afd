import { authErrorResponse, withRole } from "@/app/_lib/auth";
import { parseJsonBody } from "@/app/_lib/json-body";
import { listRuns } from "@/lib/runs/list-runs";
import { RunRequestError, startRun, ZStartRunRequest } from "@/lib/runs/start-run";
import { getServices } from "@/lib/runtime/app-services";

export const dynamic = "force-dynamic";

/** The latest runs with their progress and curves; /runs polls it. */
export const GET = withRole("researcher", async () => {
  const { db } = await getServices();
  return Response.json({ runs: await listRuns(db) }, { headers: { "cache-control": "no-store" } });
});

/** Queues a run: { modelName, config } → 201 { id }. 400 names the first bad field, or why its snapshot cannot be used. */
export const POST = withRole("researcher", async (request, _context: unknown, user) => {
  const input = await parseJsonBody(request, ZStartRunRequest);
  if ("response" in input) return input.response;
  const { db } = await getServices();
  try {
    return Response.json({ id: await startRun(db, input.data, user.id) }, { status: 201 });
  } catch (error) {
    if (error instanceof RunRequestError) return Response.json({ error: error.message }, { status: 400 });
    return authErrorResponse(error);
  }
});
