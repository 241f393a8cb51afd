import { expect, test } from "@playwright/test";
import { adminSession, currentSession, sessionWithRole, signUpViaApi, uniqueAccount } from "./accounts";

test.describe("sign-up API", () => {
  test("creates an annotator with a normalised email, and refuses the same email again with 409", async ({
    request,
  }) => {
    await adminSession(request); // so this account is not the install's first
    const account = uniqueAccount("signup");
    const created = await signUpViaApi(request, { ...account, email: `  ${account.email.toUpperCase()} ` });
    expect(created.status()).toBe(201);
    expect((await created.json()).user).toMatchObject({ email: account.email, role: "annotator", name: null });
    const again = await signUpViaApi(request, { ...account, password: "another password" });
    expect(again.status()).toBe(409);
    expect(await again.json()).toEqual({ error: "an account with this email already exists" });
  });

  test("refuses invalid and hostile input with 400 and a message", async ({ request }) => {
    const cases: Array<[unknown, string]> = [
      [{ email: "a@faceloop.test", password: "short" }, "password must be at least 8 characters"],
      [{ email: "not-an-email", password: "long enough" }, "email must look like name@example.org"],
      [{ email: `${"x".repeat(300)}@faceloop.test`, password: "long enough" }, "email must be at most 254 characters"],
      [{ email: "a\u0000b@faceloop.test", password: "long enough" }, "email must not contain control characters"],
      [{ email: "ab@faceloop.test", password: "long\u001benough" }, "password must not contain control characters"],
      [
        { email: "ab@faceloop.test", password: "long enough", name: "a\u202Eb" },
        "name must not contain control characters",
      ],
      [{ email: "ab@faceloop.test", password: "x".repeat(1000) }, "password must be at most 256 characters"],
      [["ab@faceloop.test"], "expected a JSON object with email and password"],
    ];
    for (const [body, error] of cases) {
      const response = await request.post("/api/auth/signup", { data: body });
      expect(response.status(), JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(await response.json()).toEqual({ error });
    }
  });

  test("refuses bodies that are not small JSON", async ({ request }) => {
    const notJson = await request.post("/api/auth/signup", {
      headers: { "content-type": "application/json" },
      data: Buffer.from("{ email"),
    });
    expect(notJson.status()).toBe(400);
    expect(await notJson.json()).toEqual({ error: "request body is not valid JSON" });

    const form = await request.post("/api/auth/signup", {
      form: { email: "a@faceloop.test", password: "long enough" },
    });
    expect(form.status()).toBe(415);

    const huge = await request.post("/api/auth/signup", {
      headers: { "content-type": "application/json" },
      data: Buffer.from(
        JSON.stringify({ email: "a@faceloop.test", password: "long enough", name: "x".repeat(100_000) }),
      ),
    });
    expect(huge.status()).toBe(413);
  });
});

test.describe("sign-in", () => {
  test("answers an unknown email exactly like a wrong password", async ({ playwright, baseURL }) => {
    const account = uniqueAccount("signin");
    const setup = await playwright.request.newContext({ baseURL });
    expect((await signUpViaApi(setup, account)).status()).toBe(201);
    await setup.dispose();

    async function attempt(email: string, password: string) {
      const context = await playwright.request.newContext({ baseURL });
      const { csrfToken } = (await (await context.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const response = await context.post("/api/auth/callback/credentials", {
        form: { email, password, csrfToken, json: "true" },
        maxRedirects: 0,
      });
      const result = { status: response.status(), body: await response.json(), session: await currentSession(context) };
      await context.dispose();
      return result;
    }
    const wrongPassword = await attempt(account.email, "not the password");
    const unknownEmail = await attempt("nobody-at-all@faceloop.test", account.password);
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body.url).toContain("error=CredentialsSignin");
    expect(unknownEmail).toEqual(wrongPassword);
    expect(wrongPassword.session).toBeNull();

    const right = await attempt(account.email.toUpperCase(), account.password);
    expect(right.status).toBe(200);
    expect(right.session).toMatchObject({ email: account.email, role: "annotator" });
  });
});

test("a role change takes effect on the user's next request, without signing in again", async ({
  playwright,
  baseURL,
}) => {
  const admin = await playwright.request.newContext({ baseURL });
  const user = await playwright.request.newContext({ baseURL });
  await adminSession(admin);
  const researcher = await sessionWithRole(admin, user, "researcher");
  const runs = () => user.get("/runs", { maxRedirects: 0 });
  expect((await runs()).status()).toBe(200);

  expect((await admin.post(`/api/admin/users/${researcher.id}/role`, { data: { role: "annotator" } })).status()).toBe(
    200,
  );
  const refused = await runs();
  expect(refused.status()).toBe(307);
  expect(refused.headers().location).toBe("/forbidden?need=researcher&from=%2Fruns");
  expect((await user.get("/api/admin/users")).status()).toBe(403);
  expect((await currentSession(user))?.role).toBe("annotator");

  // Bad role changes are refused with a reason.
  const badRole = await admin.post(`/api/admin/users/${researcher.id}/role`, { data: { role: "owner" } });
  expect(badRole.status()).toBe(400);
  expect(await badRole.json()).toEqual({ error: "role must be one of annotator, researcher, admin" });
  const badId = await admin.post("/api/admin/users/42/role", { data: { role: "admin" } });
  expect(badId.status()).toBe(400);
  const { id: adminId } = (await currentSession(admin))!;
  const lastAdmin = await admin.post(`/api/admin/users/${adminId}/role`, { data: { role: "researcher" } });
  expect(lastAdmin.status()).toBe(409);

  await admin.dispose();
  await user.dispose();
});

test("a session token works as a Bearer token too, and a forged one is nobody", async ({ playwright, baseURL }) => {
  const admin = await playwright.request.newContext({ baseURL });
  await adminSession(admin);
  const { cookies } = await admin.storageState();
  const token = cookies.find((cookie) => cookie.name === "next-auth.session-token")!.value;
  const bearer = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
  expect((await bearer.get("/api/admin/users")).status()).toBe(200);
  const forged = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { cookie: `next-auth.session-token=${token.slice(0, -6)}AAAAAA` },
  });
  expect((await forged.get("/api/admin/users")).status()).toBe(401);
  await Promise.all([admin.dispose(), bearer.dispose(), forged.dispose()]);
});
