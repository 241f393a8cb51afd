/** One entry of GitHub's GET /user/emails. */
export interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

/**
 * The address to sign a GitHub user in with: the primary one if GitHub has verified it, else any verified one,
 * else none. An unverified address is never used: linking on it would let anyone claim someone else's account.
 */
export function pickGitHubEmail(emails: unknown): string | null {
  if (!Array.isArray(emails)) return null;
  const verified = emails.filter(
    (entry): entry is GitHubEmail =>
      typeof entry === "object" && entry !== null && typeof entry.email === "string" && entry.verified === true,
  );
  return (verified.find((entry) => entry.primary === true) ?? verified[0])?.email ?? null;
}
