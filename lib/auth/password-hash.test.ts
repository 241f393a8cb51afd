import { describe, expect, it } from "vitest";
import { hashPassword, verifyNothing, verifyPassword } from "./password-hash";

describe("password hashing", () => {
  it("hashes with argon2id and a fresh salt each time", async () => {
    const first = await hashPassword("correct horse battery");
    const second = await hashPassword("correct horse battery");
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain("correct horse");
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(await verifyPassword(stored, "correct horse battery")).toBe(true);
    expect(await verifyPassword(stored, "correct horse batterY")).toBe(false);
    expect(await verifyPassword(stored, "")).toBe(false);
  });

  it("refuses, rather than throws, when the stored value is not a hash", async () => {
    expect(await verifyPassword("not a hash", "anything")).toBe(false);
    expect(await verifyPassword("", "anything")).toBe(false);
  });

  it("spends a verification on sign-ins that have no account, and refuses them", async () => {
    expect(await verifyNothing("whatever")).toBe(false);
    expect(await verifyNothing("faceloop: no such account")).toBe(false);
  });
});
