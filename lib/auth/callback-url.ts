/**
 * Where to send someone after signing in: only a path on this site. Anything else (another origin, a
 * protocol-relative `//host`, a backslash trick) falls back to the home page, so the sign-in page cannot be used
 * to redirect people elsewhere.
 */
export function safeCallbackUrl(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  if (/[\p{Cc}\s]/u.test(value)) return fallback;
  return value;
}

/**
 * next-auth's redirect rule for faceloop: a path on this site (made safe as above), or a full URL of this very
 * origin; anything else goes to the site's root.
 */
export function resolveRedirect(url: string, baseUrl: string): string {
  if (url.startsWith("/")) return `${baseUrl}${safeCallbackUrl(url)}`;
  return URL.canParse(url) && new URL(url).origin === new URL(baseUrl).origin ? url : baseUrl;
}
