import { describe, expect, it } from "vitest";
import { mintSessionToken } from "./session-token";
import { SessionTokenCache } from "./session-token-cache";

const SECRET = "a-test-secret-that-is-long-enough";
const USER = {
  id: "0b6f3d2e-8c1a-4f5e-9d7b-2a4c6e8f0a1b",
  email: "ann@example.org",
  name: "Ann",
  role: "annotator",
} as const;
const CLAIMS = { sub: USER.id, email: USER.email, name: "Ann", role: "annotator" };

describe("SessionTokenCache", () => {
  it("decodes a token once and answers the same claims from memory after that", async () => {
    const cache = new SessionTokenCache(SECRET);
    const token = await mintSessionToken(USER, SECRET);
    expect(await cache.read(token)).toEqual(CLAIMS);
    expect(cache.size).toBe(1);
    expect(await cache.read(token)).toEqual(CLAIMS);
    expect(cache.size).toBe(1);
  });

  it("keeps nothing for expired, forged, garbled, foreign or missing tokens", async () => {
    const cache = new SessionTokenCache(SECRET);
    const expired = await mintSessionToken(USER, SECRET, { maxAgeSeconds: -60 });
    const foreign = await mintSessionToken(USER, "another-secret-of-enough-length");
    const token = await mintSessionToken(USER, SECRET);
    for (const bad of [expired, foreign, `${token.slice(0, -4)}AAAA`, "", undefined, "not.a.jwt"]) {
      expect(await cache.read(bad)).toBeNull();
    }
    expect(cache.size).toBe(0);
  });

  it("stops answering a cached token once the token itself has expired", async () => {
    const cache = new SessionTokenCache(SECRET);
    const token = await mintSessionToken(USER, SECRET, { maxAgeSeconds: 60 });
    expect(await cache.read(token)).toEqual(CLAIMS);
    expect(await cache.read(token, Date.now() + 59_000)).toEqual(CLAIMS);
    expect(await cache.read(token, Date.now() + 61_000)).toBeNull();
    expect(cache.size).toBe(0);
  });

  it("holds at most maxTokens tokens, dropping the least recently used", async () => {
    const cache = new SessionTokenCache(SECRET, { maxTokens: 2 });
    const tokens = await Promise.all(
      ["a", "b", "c"].map((n) => mintSessionToken({ ...USER, email: `${n}@example.org` }, SECRET)),
    );
    for (const token of tokens) await cache.read(token);
    expect(cache.size).toBe(2);
    expect((await cache.read(tokens[0]))?.email).toBe("a@example.org");
  });
});
