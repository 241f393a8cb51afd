import { authErrorResponse, withRole } from "@/app/_lib/auth";
import { parseJsonBody } from "@/app/_lib/json-body";
import { badId, parsePositiveId } from "@/app/_lib/positive-id";
import { promoteModelVersion, ZPromotionRequest } from "@/lib/model-versions/promote-model-version";
import { getServices } from "@/lib/runtime/app-services";

/**
 * Makes a version the serving one (a promotion, or a rollback to an earlier one): { reason } → 200 { from, to,
 * action }. 404 unknown version, 409 already serving; who and why go to the audit log.
 */
export const POST = withRole("researcher", async (request, context: { params: Promise<{ id: string }> }, user) => {
  const id = parsePositiveId((await context.params).id);
  if (id === null) return badId("model version");
  const input = await parseJsonBody(request, ZPromotionRequest);
  if ("response" in input) return input.response;
  const { db } = await getServices();
  try {
    return Response.json(await promoteModelVersion(db, { versionId: id, actorId: user.id, reason: input.data.reason }));
  } catch (error) {
    return authErrorResponse(error);
  }
});
