import { describe, expect, it } from "vitest";
import { MAX_PASSWORD_LENGTH, normaliseEmail, parseSignUp } from "./credentials";

function errorOf(input: unknown): string | undefined {
  const result = parseSignUp(input);
  return result.ok ? undefined : result.error;
}

describe("sign-up input", () => {
  it("normalises the email to trimmed lower case and keeps the rest", () => {
    const result = parseSignUp({ email: "  Ann.Lee@Example.ORG ", password: "correct horse", name: "  Ann  " });
    expect(result).toEqual({
      ok: true,
      value: { email: "ann.lee@example.org", password: "correct horse", name: "Ann" },
    });
    expect(normaliseEmail("X@Y.Z")).toBe("x@y.z");
  });

  it("treats a missing or blank name as none", () => {
    expect(parseSignUp({ email: "a@b.co", password: "12345678" })).toMatchObject({ ok: true, value: { name: null } });
    expect(parseSignUp({ email: "a@b.co", password: "12345678", name: "   " })).toMatchObject({
      ok: true,
      value: { name: null },
    });
    expect(parseSignUp({ email: "a@b.co", password: "12345678", name: null })).toMatchObject({
      ok: true,
      value: { name: null },
    });
  });

  it("explains what is wrong with missing or malformed fields", () => {
    expect(errorOf(null)).toBe("expected a JSON object with email and password");
    expect(errorOf("a@b.co")).toBe("expected a JSON object with email and password");
    expect(errorOf({ password: "12345678" })).toBe("email is required");
    expect(errorOf({ email: "   ", password: "12345678" })).toBe("email is required");
    expect(errorOf({ email: "not-an-email", password: "12345678" })).toBe("email must look like name@example.org");
    expect(errorOf({ email: "a b@c.de", password: "12345678" })).toBe("email must look like name@example.org");
    expect(errorOf({ email: "a@b.co" })).toBe("password is required");
    expect(errorOf({ email: "a@b.co", password: 12345678 })).toBe("password is required");
  });

  it("requires passwords of at least 8 characters", () => {
    expect(errorOf({ email: "a@b.co", password: "1234567" })).toBe("password must be at least 8 characters");
    expect(errorOf({ email: "a@b.co", password: "12345678" })).toBeUndefined();
  });

  it("rejects hostile strings with a message instead of storing them", () => {
    const huge = "x".repeat(100_000);
    expect(errorOf({ email: `${huge}@example.org`, password: "12345678" })).toBe(
      "email must be at most 254 characters",
    );
    expect(errorOf({ email: `${"x".repeat(250)}@example.org`, password: "12345678" })).toBe(
      "email must be at most 254 characters",
    );
    expect(errorOf({ email: "a@b.co", password: huge })).toBe(
      `password must be at most ${MAX_PASSWORD_LENGTH} characters`,
    );
    expect(errorOf({ email: "a@b.co", password: "12345678", name: huge })).toBe("name must be at most 100 characters");
    expect(errorOf({ email: "a\u0000b@c.de", password: "12345678" })).toBe("email must not contain control characters");
    expect(errorOf({ email: "a@b.co", password: "1234\u00075678" })).toBe(
      "password must not contain control characters",
    );
    expect(errorOf({ email: "a@b.co", password: "12345678", name: "Ann\nLee" })).toBe(
      "name must not contain control characters",
    );
    // A right-to-left override would make the admin's user list lie about a name.
    expect(errorOf({ email: "a@b.co", password: "12345678", name: "Ann\u202Egnp.exe" })).toBe(
      "name must not contain control characters",
    );
  });

  it("accepts non-ASCII names and passwords", () => {
    expect(parseSignUp({ email: "zoë@example.org", password: "pässwörd ünicode", name: "Zoë Ωmega 李" })).toMatchObject(
      {
        ok: true,
        value: { email: "zoë@example.org", name: "Zoë Ωmega 李" },
      },
    );
  });
});
