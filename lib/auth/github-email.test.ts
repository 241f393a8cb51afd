import { describe, expect, it } from "vitest";
import { pickGitHubEmail } from "./github-email";

describe("pickGitHubEmail", () => {
  it("takes the primary address when GitHub has verified it", () => {
    expect(
      pickGitHubEmail([
        { email: "old@example.org", primary: false, verified: true },
        { email: "main@example.org", primary: true, verified: true },
      ]),
    ).toBe("main@example.org");
  });

  it("falls back to another verified address, never to an unverified one", () => {
    expect(
      pickGitHubEmail([
        { email: "claimed@victim.org", primary: true, verified: false },
        { email: "mine@example.org", primary: false, verified: true },
      ]),
    ).toBe("mine@example.org");
    expect(pickGitHubEmail([{ email: "claimed@victim.org", primary: true, verified: false }])).toBeNull();
  });

  it("copes with an empty or malformed answer", () => {
    expect(pickGitHubEmail([])).toBeNull();
    expect(pickGitHubEmail({ message: "Bad credentials" })).toBeNull();
    expect(pickGitHubEmail([null, { email: 3, verified: true }])).toBeNull();
  });
});
