import { z } from "zod";
import { authErrorResponse, readJsonBody, withRole } from "@/app/_lib/auth";
import { changeUserRole } from "@/lib/auth/change-user-role";
import { ROLES } from "@/lib/auth/roles";
import { isUserId } from "@/lib/auth/users";
import { getServices } from "@/lib/runtime/app-services";

const ZRoleChange = z.object({ role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(", ")}` }) });

/** Sets a user's role: { role } → 200 { user }. 404 unknown user, 409 when it would demote the last admin. */
export const POST = withRole("admin", async (request, context: { params: Promise<{ id: string }> }, admin) => {
  const { id } = await context.params;
  if (!isUserId(id)) return Response.json({ error: "user id must be a uuid" }, { status: 400 });
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const input = ZRoleChange.safeParse(read.body);
  if (!input.success) return Response.json({ error: input.error.issues[0].message }, { status: 400 });
  const { db } = await getServices();
  try {
    const user = await changeUserRole(db, { actorId: admin.id, userId: id, role: input.data.role });
    return Response.json({ user });
  } catch (error) {
    return authErrorResponse(error);
  }
});
