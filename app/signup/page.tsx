import Link from "next/link";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { PageHeader } from "@/components/page-header";
import { safeCallbackUrl } from "@/lib/auth/callback-url";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignUpPage({ searchParams }: { searchParams: SearchParams }) {
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  return (
    <>
      <PageHeader title="Create an account">
        New accounts label faces (annotator role); an admin can give you more. The first account of a new install
        becomes its admin.
      </PageHeader>
      <SignUpForm callbackUrl={callbackUrl} />
      <p className="mt-6 text-sm text-neutral-600 dark:text-neutral-400">
        Already have an account?{" "}
        <Link href={`/signin?${new URLSearchParams({ callbackUrl })}`} className="underline">
          Sign in
        </Link>
      </p>
    </>
  );
}
