import { LRUCache } from "lru-cache";
import { decode } from "next-auth/jwt";
import { parseSessionClaims, type SessionClaims } from "./session-token";

interface Entry {
  claims: SessionClaims;
  /** The token's own expiry; a cached entry never outlives it. */
  expiresAtMs: number;
}

/**
 * Session tokens already decoded, by their text. A session JWT is encrypted (A256GCM under an HKDF-derived key), and
 * decrypting it on every API call was a measurable share of a label round trip; the same token arrives thousands of
 * times a day. Only valid tokens are kept, each until its own `exp`, so caching changes no answer: the role still
 * comes from the database on every request.
 */
export class SessionTokenCache {
  private readonly entries: LRUCache<string, Entry>;

  constructor(
    private readonly secret: string,
    options: { maxTokens?: number } = {},
  ) {
    this.entries = new LRUCache<string, Entry>({ max: options.maxTokens ?? 10_000 });
  }

  /** The claims of `token`, or null when it is missing, forged, expired or not faceloop's shape. */
  async read(token: string | undefined, nowMs: number = Date.now()): Promise<SessionClaims | null> {
    if (!token) return null;
    const hit = this.entries.get(token);
    if (hit) {
      if (hit.expiresAtMs > nowMs) return hit.claims;
      this.entries.delete(token);
      return null;
    }
    let payload: Awaited<ReturnType<typeof decode>>;
    try {
      payload = await decode({ token, secret: this.secret });
    } catch {
      return null;
    }
    const claims = parseSessionClaims(payload);
    const exp = payload?.exp;
    if (!claims || typeof exp !== "number") return null;
    this.entries.set(token, { claims, expiresAtMs: exp * 1000 });
    return claims;
  }

  get size(): number {
    return this.entries.size;
  }
}
