import Link from "next/link";
import { getCurrentUser } from "@/app/_lib/auth";
import { gitHubSignInEnabled } from "@/app/_lib/auth-options";
import { SignInForm } from "@/components/auth/sign-in-form";
import { PageHeader } from "@/components/page-header";
import { safeCallbackUrl } from "@/lib/auth/callback-url";

export const dynamic = "force-dynamic";

/** next-auth sends its errors here (?error=...); none of them says whether an email is registered. */
const ERRORS: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  GitHubNoEmail: "Your GitHub account has no verified email address; add one on GitHub, or sign up with a password.",
  SessionRequired: "Sign in to see that page.",
};

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  const error =
    typeof params.error === "string"
      ? (ERRORS[params.error] ??
        (params.error.startsWith("Too many failed sign-ins")
          ? "Too many failed sign-ins. Wait a few minutes and try again."
          : "Sign-in failed. Try again."))
      : null;
  const user = await getCurrentUser();
  return (
    <>
      <PageHeader title="Sign in">
        {user ? `You are signed in as ${user.email} (${user.role}); sign in again to switch accounts.` : null}
      </PageHeader>
      <SignInForm callbackUrl={callbackUrl} gitHub={gitHubSignInEnabled()} initialError={error} />
      <p className="mt-6 text-sm text-neutral-600 dark:text-neutral-400">
        No account yet?{" "}
        <Link href={`/signup?${new URLSearchParams({ callbackUrl })}`} className="underline">
          Create one
        </Link>
      </p>
    </>
  );
}
