import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AuthError } from "../../lib/auth/auth-error";
import { authenticatePassword } from "../../lib/auth/authenticate-password";
import { changeUserRole } from "../../lib/auth/change-user-role";
import { createUser } from "../../lib/auth/create-user";
import { parseSignUp } from "../../lib/auth/credentials";
import { linkOAuthAccount } from "../../lib/auth/link-oauth-account";
import { signUp } from "../../lib/auth/sign-up";
import { countAdmins, findUserByAccount, getUser, listUsers } from "../../lib/auth/users";
import { queryRows } from "../../lib/db/query-rows";
import { createTestDatabase } from "../support/test-database";

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());
beforeEach(async () => {
  await database.db.execute(sql`truncate users, accounts, audit_log cascade`);
});

function signUpInput(email: string, password = "correct horse", name?: string) {
  const parsed = parseSignUp({ email, password, name });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

async function rejection(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

describe("sign-up", () => {
  it("makes the first account admin and everyone after an annotator", async () => {
    const first = await signUp(database.db, signUpInput("First@Example.org", "correct horse", "First"));
    const second = await signUp(database.db, signUpInput("second@example.org"));
    expect(first).toMatchObject({ email: "first@example.org", name: "First", role: "admin" });
    expect(second).toMatchObject({ email: "second@example.org", name: null, role: "annotator" });
    expect(await getUser(database.db, first.id)).toEqual(first);
    const audit = await queryRows<{ action: string; details: unknown }>(
      database.db,
      sql`select action, details from audit_log where subject = ${first.id}`,
    );
    expect(audit).toEqual([{ action: "user.created", details: { role: "admin" } }]);
  });

  it("gives exactly one admin when many people sign up on an empty install at the same moment", async () => {
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        createUser(database.db, { email: `racer${i}@example.org`, name: null, passwordHash: null }),
      ),
    );
    expect(created.filter((user) => user.role === "admin")).toHaveLength(1);
    expect(await countAdmins(database.db)).toBe(1);
  });

  it("refuses a taken email, whatever its case, with a conflict and writes nothing", async () => {
    await signUp(database.db, signUpInput("ann@example.org"));
    const error = await rejection(signUp(database.db, signUpInput("ANN@example.org ")));
    expect(error.kind).toBe("conflict");
    expect(error.message).toBe("an account with this email already exists");
    expect(await listUsers(database.db)).toHaveLength(1);
  });
});

describe("password sign-in", () => {
  it("returns the user for the right password and null for everything else", async () => {
    const ann = await signUp(database.db, signUpInput("ann@example.org", "correct horse"));
    await linkOAuthAccount(database.db, {
      provider: "github",
      providerAccountId: "7",
      email: "gh@example.org",
      name: null,
    });

    expect(await authenticatePassword(database.db, { email: " ANN@example.org", password: "correct horse" })).toEqual(
      ann,
    );
    // Wrong password, unknown email, an OAuth-only account and malformed input all look the same.
    expect(await authenticatePassword(database.db, { email: "ann@example.org", password: "wrong horse" })).toBeNull();
    expect(
      await authenticatePassword(database.db, { email: "nobody@example.org", password: "correct horse" }),
    ).toBeNull();
    expect(await authenticatePassword(database.db, { email: "gh@example.org", password: "correct horse" })).toBeNull();
    expect(
      await authenticatePassword(database.db, { email: "ann@example.org", password: "x".repeat(100_000) }),
    ).toBeNull();
    expect(await authenticatePassword(database.db, null)).toBeNull();
  });

  it("stores an argon2id hash, never the password", async () => {
    await signUp(database.db, signUpInput("ann@example.org", "correct horse"));
    const [row] = await queryRows<{ passwordHash: string }>(
      database.db,
      sql`select password_hash as "passwordHash" from users`,
    );
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain("correct horse");
  });
});

describe("changing roles", () => {
  it("lets an admin promote and demote, and records who did it", async () => {
    const admin = await signUp(database.db, signUpInput("admin@example.org"));
    const ann = await signUp(database.db, signUpInput("ann@example.org"));
    const promoted = await changeUserRole(database.db, { actorId: admin.id, userId: ann.id, role: "researcher" });
    expect(promoted).toEqual({ ...ann, role: "researcher" });
    expect((await getUser(database.db, ann.id))?.role).toBe("researcher");
    const demoted = await changeUserRole(database.db, { actorId: admin.id, userId: ann.id, role: "annotator" });
    expect(demoted.role).toBe("annotator");
    const audit = await queryRows<{ actorId: string; details: unknown }>(
      database.db,
      sql`select actor_id as "actorId", details from audit_log where action = 'user.role_changed' order by id`,
    );
    expect(audit).toEqual([
      { actorId: admin.id, details: { from: "annotator", to: "researcher" } },
      { actorId: admin.id, details: { from: "researcher", to: "annotator" } },
    ]);
  });

  it("refuses non-admins, unknown users and demoting the last admin", async () => {
    const admin = await signUp(database.db, signUpInput("admin@example.org"));
    const ann = await signUp(database.db, signUpInput("ann@example.org"));
    await changeUserRole(database.db, { actorId: admin.id, userId: ann.id, role: "researcher" });

    expect(
      (await rejection(changeUserRole(database.db, { actorId: ann.id, userId: ann.id, role: "admin" }))).kind,
    ).toBe("forbidden");
    const missing = "00000000-0000-4000-8000-000000000000";
    expect(
      (await rejection(changeUserRole(database.db, { actorId: admin.id, userId: missing, role: "admin" }))).kind,
    ).toBe("not_found");
    const last = await rejection(
      changeUserRole(database.db, { actorId: admin.id, userId: admin.id, role: "annotator" }),
    );
    expect(last.kind).toBe("conflict");
    expect(last.message).toMatch(/last admin/);
    expect((await getUser(database.db, admin.id))?.role).toBe("admin");

    // With a second admin, the first may step down.
    await changeUserRole(database.db, { actorId: admin.id, userId: ann.id, role: "admin" });
    expect((await changeUserRole(database.db, { actorId: admin.id, userId: admin.id, role: "researcher" })).role).toBe(
      "researcher",
    );
    expect(await countAdmins(database.db)).toBe(1);
  });

  it("never leaves zero admins when two admins demote each other at the same moment", async () => {
    const a = await signUp(database.db, signUpInput("a@example.org"));
    const b = await signUp(database.db, signUpInput("b@example.org"));
    await changeUserRole(database.db, { actorId: a.id, userId: b.id, role: "admin" });

    for (let round = 0; round < 5; round++) {
      const results = await Promise.allSettled([
        changeUserRole(database.db, { actorId: a.id, userId: b.id, role: "annotator" }),
        changeUserRole(database.db, { actorId: b.id, userId: a.id, role: "annotator" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await countAdmins(database.db)).toBe(1);
      // Restore two admins for the next round.
      const [admin] = (await listUsers(database.db)).filter((user) => user.role === "admin");
      const other = admin.id === a.id ? b : a;
      await changeUserRole(database.db, { actorId: admin.id, userId: other.id, role: "admin" });
    }
  });
});

describe("GitHub sign-in", () => {
  it("creates a user on first sign-in (admin on an empty install) and finds them again by the link", async () => {
    const identity = { provider: "github", providerAccountId: "1001", email: "Octo@Example.org", name: "Octo Cat" };
    const created = await linkOAuthAccount(database.db, identity);
    expect(created).toMatchObject({ email: "octo@example.org", name: "Octo Cat", role: "admin" });
    expect(await findUserByAccount(database.db, "github", "1001")).toEqual(created);

    // Later sign-ins find the link even when the GitHub email has changed.
    expect(await linkOAuthAccount(database.db, { ...identity, email: "new@example.org" })).toEqual(created);
    const [listed] = await listUsers(database.db);
    expect(listed).toMatchObject({ id: created.id, hasPassword: false, providers: ["github"] });
  });

  it("links GitHub to an existing password account with the same email instead of creating a second one", async () => {
    const ann = await signUp(database.db, signUpInput("ann@example.org"));
    const viaGitHub = await linkOAuthAccount(database.db, {
      provider: "github",
      providerAccountId: "2002",
      email: "ANN@example.org",
      name: "Someone Else",
    });
    expect(viaGitHub).toEqual(ann);
    const users = await listUsers(database.db);
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ hasPassword: true, providers: ["github"] });
  });

  it("makes later GitHub users annotators and refuses one without a verified email", async () => {
    await signUp(database.db, signUpInput("admin@example.org"));
    const bob = await linkOAuthAccount(database.db, {
      provider: "github",
      providerAccountId: "3",
      email: "bob@example.org",
      name: null,
    });
    expect(bob.role).toBe("annotator");
    const error = await rejection(
      linkOAuthAccount(database.db, { provider: "github", providerAccountId: "4", email: null, name: "No Mail" }),
    );
    expect(error.kind).toBe("invalid");
    expect(await listUsers(database.db)).toHaveLength(2);
  });
});
