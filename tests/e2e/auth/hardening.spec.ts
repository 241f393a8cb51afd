import { expect, test } from "@playwright/test";
import { signInViaApi, signUpViaApi, uniqueAccount } from "./accounts";

/** The web edge: headers on every response, strict ids, bounded bodies, throttled sign-in. */
test.describe("web hardening", () => {
  test("every response carries the security headers", async ({ request }) => {
    for (const path of ["/", "/signin", "/api/auth/csrf", "/api/images/1", "/no-such-page"]) {
      const response = await request.get(path, { maxRedirects: 0 });
      const headers = response.headers();
      expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
      expect(headers["content-security-policy"], path).toContain("'wasm-unsafe-eval'");
      expect(headers["x-content-type-options"], path).toBe("nosniff");
      expect(headers["x-frame-options"], path).toBe("DENY");
      expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    }
  });

  test("ids must be decimal integers in range (400), never a 500", async ({ request }) => {
    const account = uniqueAccount("ids");
    expect((await signUpViaApi(request, account)).status()).toBe(201);
    await signInViaApi(request, account);
    for (const id of ["2147483648", "99999999999999999999", "0x10", "1e3", "1.0", "0", "-1"]) {
      const image = await request.get(`/api/images/${encodeURIComponent(id)}`);
      expect(image.status(), `/api/images/${id}`).toBe(400);
      const model = await request.get(`/api/models/${encodeURIComponent(id)}/files/model.json`);
      expect(model.status(), `/api/models/${id}`).toBe(400);
    }
    expect((await request.get("/api/images/2147483647")).status()).toBe(404);
  });

  test("the auth callback refuses a body over its limit without reading it whole", async ({ request }) => {
    const response = await request.post("/api/auth/callback/credentials", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      data: `email=a%40b.c&password=${"x".repeat(2 * 1024 * 1024)}`,
    });
    expect(response.status()).toBe(413);
  });

  test("sign-in is throttled per account with a clear message, even with the right password", async ({ request }) => {
    const account = uniqueAccount("throttle");
    expect((await signUpViaApi(request, account)).status()).toBe(201);
    const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const attempt = (password: string) =>
      request.post("/api/auth/callback/credentials", {
        form: { email: account.email, password, csrfToken, json: "true" },
        maxRedirects: 0,
      });
    for (let i = 0; i < 5; i++) expect((await attempt("wrong")).status()).not.toBe(200);
    const blocked = await attempt(account.password);
    const where = `${blocked.headers().location ?? ""} ${await blocked.text()}`;
    expect(decodeURIComponent(where)).toContain("Too many failed sign-ins for this account");
  });
});
