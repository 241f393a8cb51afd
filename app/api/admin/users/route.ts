import { withRole } from "@/app/_lib/auth";
import { listUsers } from "@/lib/auth/users";
import { getServices } from "@/lib/runtime/app-services";

/** Every user with their role, for admins. */
export const GET = withRole("admin", async () => {
  const { db } = await getServices();
  const users = await listUsers(db);
  return Response.json({ users }, { headers: { "cache-control": "no-store" } });
});
