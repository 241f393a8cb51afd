import fs from "node:fs";
import path from "node:path";
import { type APIRequestContext, type APIResponse, expect, test } from "@playwright/test";
import { type RouteAccess, ROUTE_ACCESS } from "../../../app/_lib/route-access";
import { hasRole, type Role } from "../../../lib/auth/roles";
import { adminSession, sessionWithRole } from "./accounts";

/**
 * Every route in app/_lib/route-access.ts, requested over HTTP by a signed-out visitor, an annotator, a researcher
 * and an admin, against the access the table gives it. Pages: allowed 200, signed out a redirect to /signin that
 * comes back, role too low a redirect to the 403 page. API routes: allowed the table's status, signed out 401,
 * role too low 403, both with a JSON error.
 */
const VIEWERS = ["signed out", "annotator", "researcher", "admin"] as const;
type Viewer = (typeof VIEWERS)[number];

const ROUTE_FILE = /^(page|route)\.(tsx?|jsx?)$/;
const EXPORTED_METHOD =
  /\bexport\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b|\bas\s+(GET|POST|PUT|PATCH|DELETE)\b/g;

/**
 * Every page, and every method of every route handler, under app/ as "file METHOD"; private folders (`_lib`)
 * are skipped: Next.js never routes them.
 */
function routeEndpoints(dir = "app"): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith("_") ? [] : routeEndpoints(full);
    if (!ROUTE_FILE.test(entry.name)) return [];
    if (entry.name.startsWith("page.")) return [`${full} GET`];
    const methods = [...fs.readFileSync(full, "utf8").matchAll(EXPORTED_METHOD)].map((m) => m[1] ?? m[2]);
    return [...new Set(methods)].map((method) => `${full} ${method}`);
  });
}

test("the access table lists every page and API route method there is, and nothing else", () => {
  const listed = ROUTE_ACCESS.map((route) => `${route.file} ${route.method ?? "GET"}`).sort();
  expect(new Set(listed).size, "a route is listed twice").toBe(listed.length);
  expect(listed, "app/_lib/route-access.ts must list exactly the routes in app/").toEqual(routeEndpoints().sort());
});

test.describe("route access matrix", () => {
  const contexts = new Map<Viewer, APIRequestContext>();

  test.beforeAll(async ({ playwright }, testInfo) => {
    const baseURL = testInfo.project.use.baseURL;
    for (const viewer of VIEWERS) contexts.set(viewer, await playwright.request.newContext({ baseURL }));
    const admin = contexts.get("admin")!;
    await adminSession(admin);
    await sessionWithRole(admin, contexts.get("annotator")!, "annotator");
    await sessionWithRole(admin, contexts.get("researcher")!, "researcher");
  });

  test.afterAll(async () => {
    for (const context of contexts.values()) await context.dispose();
  });

  for (const route of ROUTE_ACCESS) {
    const method = route.method ?? "GET";
    const who = route.access === "public" ? "everyone" : `${route.access}s and up`;
    test(`${method} ${route.probe} is for ${who}`, async () => {
      for (const viewer of VIEWERS) {
        const response = await contexts.get(viewer)!.fetch(route.probe, { method, data: route.body, maxRedirects: 0 });
        await expectAccess(route, viewer, response);
      }
    });
  }
});

function isAllowed(route: RouteAccess, viewer: Viewer): boolean {
  if (route.access === "public") return true;
  return viewer !== "signed out" && hasRole({ role: viewer }, route.access);
}

async function expectAccess(route: RouteAccess, viewer: Viewer, response: APIResponse) {
  const what = `${route.method ?? "GET"} ${route.probe} as ${viewer}`;
  const isPage = route.file.endsWith("/page.tsx");
  if (isAllowed(route, viewer)) {
    const allowed = route.allowed ?? 200;
    if (allowed === "not-refused") {
      expect([401, 403], `${what}: refused`).not.toContain(response.status());
      expect(response.status(), `${what}: failed`).toBeLessThan(500);
    } else {
      expect(response.status(), what).toBe(allowed);
    }
    return;
  }
  const path = route.probe.split("?")[0];
  if (isPage) {
    expect(response.status(), `${what}: should redirect`).toBe(307);
    const location = new URL(response.headers().location ?? "", "http://app");
    if (viewer === "signed out") {
      expect(location.pathname, what).toBe("/signin");
      expect(location.searchParams.get("callbackUrl"), `${what}: sign-in must come back here`).toBe(path);
    } else {
      expect(location.pathname, what).toBe("/forbidden");
      expect(location.searchParams.get("need"), what).toBe(route.access as Role);
      expect(location.searchParams.get("from"), what).toBe(path);
    }
    return;
  }
  expect(response.status(), what).toBe(viewer === "signed out" ? 401 : 403);
  const body = (await response.json()) as { error?: unknown };
  expect(typeof body.error, `${what}: JSON error message`).toBe("string");
}
