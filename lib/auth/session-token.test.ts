import { decode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { mintSessionToken, parseSessionClaims } from "./session-token";
import { SessionTokenCache } from "./session-token-cache";

const SECRET = "a-test-secret-that-is-long-enough";
const USER = {
  id: "0b6f3d2e-8c1a-4f5e-9d7b-2a4c6e8f0a1b",
  email: "ann@example.org",
  name: "Ann",
  role: "researcher",
} as const;

describe("session tokens", () => {
  it("mints a token next-auth itself decodes, carrying the user id and role", async () => {
    const token = await mintSessionToken(USER, SECRET);
    const payload = await decode({ token, secret: SECRET });
    expect(payload).toMatchObject({ sub: USER.id, email: USER.email, name: "Ann", role: "researcher" });
    expect(await new SessionTokenCache(SECRET).read(token)).toEqual({
      sub: USER.id,
      email: USER.email,
      name: "Ann",
      role: "researcher",
    });
  });

  it("accepts only claims of faceloop's shape", () => {
    expect(parseSessionClaims({ sub: USER.id, email: USER.email, role: "admin" })).toEqual({
      sub: USER.id,
      email: USER.email,
      name: null,
      role: "admin",
    });
    // A token from before the user had a uuid (e.g. a provider's numeric id) or with an invented role is ignored.
    expect(parseSessionClaims({ sub: "12345", email: USER.email, role: "admin" })).toBeNull();
    expect(parseSessionClaims({ sub: USER.id, email: USER.email, role: "owner" })).toBeNull();
    expect(parseSessionClaims(null)).toBeNull();
  });
});
