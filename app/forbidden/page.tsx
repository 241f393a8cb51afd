import Link from "next/link";
import { getCurrentUser } from "@/app/_lib/auth";
import { PageHeader } from "@/components/page-header";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { isRole } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Where requirePageRole sends someone whose role is too low for a page. */
export default async function ForbiddenPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const need = isRole(params.need) ? params.need : null;
  const from = safeCallbackUrl(params.from, "");
  const user = await getCurrentUser();
  return (
    <>
      <PageHeader title="403 · Not allowed">
        {need ? `This page needs the ${need} role.` : "Your role does not give access to this page."}
      </PageHeader>
      <div className="space-y-3 text-sm text-neutral-700 dark:text-neutral-300">
        {user ? (
          <p>
            You are signed in as {user.email} with the <strong>{user.role}</strong> role. Ask an admin to change your
            role.
          </p>
        ) : (
          <p>
            You are not signed in.{" "}
            <Link href={`/signin?${new URLSearchParams({ callbackUrl: from || "/" })}`} className="underline">
              Sign in
            </Link>
          </p>
        )}
        <p className="flex gap-4">
          {from ? (
            <Link href={from} className="underline">
              Try again
            </Link>
          ) : null}
          <Link href="/" className="underline">
            Home
          </Link>
        </p>
      </div>
    </>
  );
}
