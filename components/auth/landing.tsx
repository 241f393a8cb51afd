import Link from "next/link";
import { PageHeader } from "@/components/page-header";

/** What `/` shows to someone who is not signed in. */
export function Landing() {
  return (
    <>
      <PageHeader title="faceloop">
        Curating FER-2013 and the models trained on it, people and models in one loop.
      </PageHeader>
      <div className="max-w-xl space-y-4 text-sm text-neutral-700 dark:text-neutral-300">
        <p>
          People label faces in the browser with suggestions from the current model; a trainer retrains models on the
          curated labels; the site serves the new weights.
        </p>
        <div className="flex gap-3">
          <Link
            href="/signin"
            className="rounded bg-neutral-900 px-4 py-2 font-medium text-white dark:bg-white dark:text-neutral-900"
          >
            Sign in
          </Link>
          <Link href="/signup" className="rounded border border-neutral-300 px-4 py-2 dark:border-neutral-700">
            Create an account
          </Link>
        </div>
      </div>
    </>
  );
}
