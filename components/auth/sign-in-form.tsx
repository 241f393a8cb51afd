"use client";

import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { FormSubmit } from "./form-submit";

const INPUT =
  "mt-1 block w-full rounded border border-neutral-300 bg-white px-3 py-2 text-sm dark:border-neutral-700 dark:bg-neutral-950";
export const FORM_CLASSES = { input: INPUT, label: "block text-sm font-medium" };

/** Email + password sign-in through next-auth's credentials provider, then on to `callbackUrl`. */
export function SignInForm({
  callbackUrl,
  gitHub,
  initialError,
}: {
  callbackUrl: string;
  gitHub: boolean;
  initialError: string | null;
}) {
  const [error, setError] = useState(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
      });
      if (result?.ok && !result.error) {
        // A full load, so the server renders everything for the signed-in user.
        window.location.assign(callbackUrl);
        return;
      }
      setError(
        result?.error === "CredentialsSignin"
          ? "Wrong email or password."
          : result?.error?.startsWith("Too many failed sign-ins")
            ? result.error
            : "Sign-in failed. Try again.",
      );
    } catch {
      setError("Could not reach the server. Try again.");
    }
    setPending(false);
  }

  return (
    <div className="max-w-sm space-y-6">
      <form onSubmit={onSubmit} className="space-y-4" aria-label="Sign in">
        <label className={FORM_CLASSES.label}>
          Email
          <input name="email" type="email" autoComplete="email" required className={INPUT} />
        </label>
        <label className={FORM_CLASSES.label}>
          Password
          <input name="password" type="password" autoComplete="current-password" required className={INPUT} />
        </label>
        <FormSubmit error={error} pending={pending} idle="Sign in" busy="Signing in …" />
      </form>
      {gitHub ? (
        <button
          type="button"
          onClick={() => void signIn("github", { callbackUrl })}
          className="rounded border border-neutral-300 px-4 py-2 text-sm dark:border-neutral-700"
        >
          Sign in with GitHub
        </button>
      ) : null}
    </div>
  );
}
