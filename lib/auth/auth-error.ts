/**
 * A refusal the caller can show as is. `kind` says what went wrong; the route maps it to an HTTP status
 * (invalid 400, forbidden 403, not_found 404, conflict 409).
 */
export type AuthErrorKind = "invalid" | "forbidden" | "not_found" | "conflict";

export class AuthError extends Error {
  readonly kind: AuthErrorKind;

  constructor(kind: AuthErrorKind, message: string) {
    super(message);
    this.name = "AuthError";
    this.kind = kind;
  }
}
