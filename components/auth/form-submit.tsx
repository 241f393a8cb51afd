/** The end of an auth form: its error, if any, and the submit button that says when it is busy. */
export function FormSubmit({
  error,
  pending,
  idle,
  busy,
}: {
  error: string | null;
  pending: boolean;
  idle: string;
  busy: string;
}) {
  return (
    <>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-neutral-900 px-4 py-2 text-sm font-medium text-white disabled:opacity-50 dark:bg-white dark:text-neutral-900"
      >
        {pending ? busy : idle}
      </button>
    </>
  );
}
