import { z } from "zod";

export const MAX_EMAIL_LENGTH = 254;
export const MIN_PASSWORD_LENGTH = 8;
/** Generous for passphrases, small enough that nobody makes the server hash megabytes. */
export const MAX_PASSWORD_LENGTH = 256;
export const MAX_NAME_LENGTH = 100;

/** Control characters, line/paragraph separators and bidirectional overrides: never part of a real credential. */
const HOSTILE_CHARACTERS = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Emails are compared lower-cased and trimmed: `Ann@Example.org ` and `ann@example.org` are one account. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const ZEmail = z
  .string({ error: "email is required" })
  .max(MAX_EMAIL_LENGTH * 4, `email must be at most ${MAX_EMAIL_LENGTH} characters`)
  .transform(normaliseEmail)
  .refine((email) => email.length > 0, "email is required")
  .refine((email) => !HOSTILE_CHARACTERS.test(email), "email must not contain control characters")
  .refine((email) => email.length <= MAX_EMAIL_LENGTH, `email must be at most ${MAX_EMAIL_LENGTH} characters`)
  .refine((email) => EMAIL_SHAPE.test(email), "email must look like name@example.org");

export const ZPassword = z
  .string({ error: "password is required" })
  .min(MIN_PASSWORD_LENGTH, `password must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `password must be at most ${MAX_PASSWORD_LENGTH} characters`)
  .refine((password) => !HOSTILE_CHARACTERS.test(password), "password must not contain control characters");

export const ZName = z
  .string({ error: "name must be text" })
  .max(MAX_NAME_LENGTH * 4, `name must be at most ${MAX_NAME_LENGTH} characters`)
  .transform((name) => name.trim())
  .refine((name) => !HOSTILE_CHARACTERS.test(name), "name must not contain control characters")
  .refine((name) => name.length <= MAX_NAME_LENGTH, `name must be at most ${MAX_NAME_LENGTH} characters`)
  .transform((name) => (name.length > 0 ? name : null));

export const ZSignUp = z.object(
  {
    email: ZEmail,
    password: ZPassword,
    name: ZName.nullish().transform((name) => name ?? null),
  },
  { error: "expected a JSON object with email and password" },
);
export type TSignUp = z.infer<typeof ZSignUp>;

export const ZSignIn = z.object({ email: ZEmail, password: ZPassword });
export type TSignIn = z.infer<typeof ZSignIn>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validates a sign-up request; the error is the first problem, worded for the person filling in the form. */
export function parseSignUp(input: unknown): Parsed<TSignUp> {
  const result = ZSignUp.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: result.error.issues[0]?.message ?? "invalid sign-up request" };
}
