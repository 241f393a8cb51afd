import { describe, expect, it } from "vitest";
import { AuthError } from "./auth-error";
import { planOAuthLink } from "./link-oauth-account";
import type { SessionUser } from "./types";

const ANN: SessionUser = {
  id: "0b6f3d2e-8c1a-4f5e-9d7b-2a4c6e8f0a1b",
  email: "ann@example.org",
  name: "Ann",
  role: "admin",
};
const BOB: SessionUser = {
  id: "1c7f3d2e-8c1a-4f5e-9d7b-2a4c6e8f0a1b",
  email: "bob@example.org",
  name: null,
  role: "annotator",
};
const identity = { provider: "github", providerAccountId: "4242", email: "Ann@Example.org", name: "Ann L." };

describe("planOAuthLink", () => {
  it("signs in the user already linked to this GitHub account, whatever the email says now", () => {
    expect(planOAuthLink({ ...identity, email: null }, { linkedUser: BOB, userWithEmail: null })).toEqual({
      action: "use-linked",
      user: BOB,
    });
    expect(planOAuthLink(identity, { linkedUser: BOB, userWithEmail: ANN })).toEqual({
      action: "use-linked",
      user: BOB,
    });
  });

  it("links the GitHub account to the user with the same verified email", () => {
    expect(planOAuthLink(identity, { linkedUser: null, userWithEmail: ANN })).toEqual({
      action: "link-existing",
      user: ANN,
    });
  });

  it("creates a user with the normalised email and the GitHub name otherwise", () => {
    expect(planOAuthLink(identity, { linkedUser: null, userWithEmail: null })).toEqual({
      action: "create",
      email: "ann@example.org",
      name: "Ann L.",
    });
    expect(planOAuthLink({ ...identity, name: "Bad\u0000Name" }, { linkedUser: null, userWithEmail: null })).toEqual({
      action: "create",
      email: "ann@example.org",
      name: null,
    });
  });

  it("refuses a new GitHub account without a usable email", () => {
    for (const email of [null, "", "not-an-email"]) {
      expect(() => planOAuthLink({ ...identity, email }, { linkedUser: null, userWithEmail: null })).toThrow(AuthError);
    }
    expect(() => planOAuthLink({ ...identity, email: null }, { linkedUser: null, userWithEmail: null })).toThrow(
      "your github account has no verified email address faceloop can use",
    );
  });
});
