"use client";

import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { FORM_CLASSES } from "./sign-in-form";
import { FormSubmit } from "./form-submit";

/** Creates an account through POST /api/auth/signup, then signs in with it and goes on to `callbackUrl`. */
export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    const name = String(form.get("name") ?? "");
    setPending(true);
    setError(null);
    try {
      const response = await fetch("/api/auth/signup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password, name }),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: string } | null;
        setError(body?.error ?? `Sign-up failed (${response.status}).`);
        setPending(false);
        return;
      }
      const result = await signIn("credentials", { email, password, redirect: false });
      window.location.assign(result?.ok && !result.error ? callbackUrl : "/signin");
    } catch {
      setError("Could not reach the server. Try again.");
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="max-w-sm space-y-4" aria-label="Create account">
      <label className={FORM_CLASSES.label}>
        Name <span className="font-normal text-neutral-500">(optional)</span>
        <input name="name" autoComplete="name" maxLength={100} className={FORM_CLASSES.input} />
      </label>
      <label className={FORM_CLASSES.label}>
        Email
        <input name="email" type="email" autoComplete="email" required className={FORM_CLASSES.input} />
      </label>
      <label className={FORM_CLASSES.label}>
        Password <span className="font-normal text-neutral-500">(at least 8 characters)</span>
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={256}
          className={FORM_CLASSES.input}
        />
      </label>
      <FormSubmit error={error} pending={pending} idle="Create account" busy="Creating account …" />
    </form>
  );
}
