import { requirePageRole } from "@/app/_lib/auth";
import { RoleSelect } from "@/components/auth/role-select";
import { PageHeader } from "@/components/page-header";
import { listUsers } from "@/lib/auth/users";
import { getServices } from "@/lib/runtime/app-services";

export const dynamic = "force-dynamic";

export default async function AdminPage() {
  await requirePageRole("admin", "/admin");
  const { db } = await getServices();
  const users = await listUsers(db);
  return (
    <>
      <PageHeader title="Users">
        Annotators label and upload faces; researchers also see training runs and models; admins also manage roles.
        There is always at least one admin.
      </PageHeader>
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-neutral-500">
          <tr>
            <th className="py-1">Email</th>
            <th>Name</th>
            <th>Signs in with</th>
            <th>Joined</th>
            <th>Role</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id} className="border-t border-neutral-200 dark:border-neutral-800">
              <td className="py-1.5">{user.email}</td>
              <td>{user.name ?? "–"}</td>
              <td>{[...(user.hasPassword ? ["password"] : []), ...user.providers].join(", ") || "–"}</td>
              <td>{user.createdAt.toISOString().slice(0, 10)}</td>
              <td>
                <RoleSelect userId={user.id} email={user.email} role={user.role} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
