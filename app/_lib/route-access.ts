import { hasRole, type Role } from "@/lib/auth/roles";

/**
 * Who may open each page and API route: the one table of the app's access rules. Every page calls
 * requirePageRole and every API route uses withRole with the role written here; the route matrix test
 * (tests/e2e/auth/route-matrix.spec.ts) requests every entry as signed-out, annotator, researcher and admin and
 * checks the answers against this table, and fails when a route file exists that the table does not list.
 * Adding a route? Add its line here.
 */
export type Access = "public" | Role;

export interface RouteAccess {
  /** The route's file, relative to the repository root. */
  file: string;
  /** A URL that reaches it, dynamic segments filled in. */
  probe: string;
  /** Route handlers: one entry per exported method. Default GET. */
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** JSON body sent with the probe. */
  body?: unknown;
  access: Access;
  /**
   * The status an allowed caller gets for the probe: a number, or "not-refused" (anything but 401/403 and
   * below 500) where the answer depends on data the test does not control. Default 200.
   */
  allowed?: number | "not-refused";
}

/** A uuid nobody has. */
const NO_ONE = "00000000-0000-4000-8000-000000000000";

export const PAGE_ACCESS: RouteAccess[] = [
  // `/` is public: a landing page when signed out, the dashboard when signed in.
  { file: "app/page.tsx", probe: "/", access: "public" },
  { file: "app/signin/page.tsx", probe: "/signin", access: "public" },
  { file: "app/signup/page.tsx", probe: "/signup", access: "public" },
  { file: "app/forbidden/page.tsx", probe: "/forbidden?need=admin", access: "public" },
  { file: "app/label/page.tsx", probe: "/label", access: "annotator" },
  { file: "app/upload/page.tsx", probe: "/upload", access: "annotator" },
  { file: "app/datasets/page.tsx", probe: "/datasets", access: "annotator" },
  { file: "app/items/[id]/page.tsx", probe: "/items/1", access: "annotator" },
  { file: "app/runs/page.tsx", probe: "/runs", access: "researcher" },
  { file: "app/models/page.tsx", probe: "/models", access: "researcher" },
  { file: "app/quality/page.tsx", probe: "/quality", access: "researcher" },
  { file: "app/models/[id]/page.tsx", probe: "/models/999999", access: "researcher", allowed: 404 },
  { file: "app/models/compare/page.tsx", probe: "/models/compare", access: "researcher" },
  { file: "app/models/import/page.tsx", probe: "/models/import", access: "researcher" },
  { file: "app/admin/page.tsx", probe: "/admin", access: "admin" },
];

export const API_ACCESS: RouteAccess[] = [
  { file: "app/api/auth/[...nextauth]/route.ts", probe: "/api/auth/providers", access: "public" },
  // Without the CSRF token, next-auth sends a sign-in attempt back to the sign-in page.
  {
    file: "app/api/auth/[...nextauth]/route.ts",
    probe: "/api/auth/callback/credentials",
    method: "POST",
    access: "public",
    allowed: 302,
  },
  {
    file: "app/api/auth/signup/route.ts",
    probe: "/api/auth/signup",
    method: "POST",
    body: {},
    access: "public",
    allowed: 400,
  },
  { file: "app/api/tfjs-wasm/[file]/route.ts", probe: "/api/tfjs-wasm/tfjs-backend-wasm.wasm", access: "public" },
  { file: "app/api/images/[id]/route.ts", probe: "/api/images/1", access: "annotator" },
  {
    file: "app/api/models/serving/route.ts",
    probe: "/api/models/serving",
    access: "annotator",
    allowed: "not-refused",
  },
  {
    file: "app/api/models/[id]/files/[file]/route.ts",
    probe: "/api/models/999999/files/model.json",
    access: "annotator",
    allowed: 404,
  },
  {
    file: "app/api/models/[id]/promote/route.ts",
    probe: "/api/models/999999/promote",
    method: "POST",
    body: {},
    access: "researcher",
    allowed: 400,
  },
  {
    file: "app/api/models/[id]/download/route.ts",
    probe: "/api/models/999999/download",
    access: "researcher",
    allowed: 404,
  },
  { file: "app/api/models/import/route.ts", probe: "/api/models/import", method: "POST", body: {}, access: "researcher", allowed: 415 },
  { file: "app/api/label/next/route.ts", probe: "/api/label/next?count=1", access: "annotator" },
  {
    file: "app/api/label/annotations/route.ts",
    probe: "/api/label/annotations",
    method: "POST",
    body: {},
    access: "annotator",
    allowed: 400,
  },
  {
    file: "app/api/label/annotations/[clientRequestId]/route.ts",
    probe: `/api/label/annotations/${NO_ONE}`,
    method: "DELETE",
    access: "annotator",
    allowed: 404,
  },
  {
    file: "app/api/label/skip/route.ts",
    probe: "/api/label/skip",
    method: "POST",
    body: {},
    access: "annotator",
    allowed: 400,
  },
  {
    file: "app/api/label/release/route.ts",
    probe: "/api/label/release",
    method: "POST",
    body: { keep: "none" },
    access: "annotator",
    allowed: 400,
  },
  { file: "app/api/uploads/route.ts", probe: "/api/uploads", access: "annotator" },
  {
    file: "app/api/uploads/presign/route.ts",
    probe: "/api/uploads/presign",
    method: "POST",
    body: {},
    access: "annotator",
    allowed: "not-refused",
  },
  {
    file: "app/api/uploads/complete/route.ts",
    probe: "/api/uploads/complete",
    method: "POST",
    body: {},
    access: "annotator",
    allowed: "not-refused",
  },
  {
    file: "app/api/curation/settings/route.ts",
    probe: "/api/curation/settings",
    method: "POST",
    body: {},
    access: "researcher",
    allowed: 400,
  },
  {
    file: "app/api/curation/scoring-rounds/route.ts",
    probe: "/api/curation/scoring-rounds",
    method: "POST",
    body: { folds: 1 },
    access: "researcher",
    allowed: 400,
  },
  { file: "app/api/datasets/snapshots/route.ts", probe: "/api/datasets/snapshots", access: "annotator" },
  {
    file: "app/api/datasets/snapshots/route.ts",
    probe: "/api/datasets/snapshots",
    method: "POST",
    body: {},
    access: "researcher",
    allowed: 400,
  },
  {
    file: "app/api/datasets/snapshots/[id]/route.ts",
    probe: "/api/datasets/snapshots/999999",
    access: "annotator",
    allowed: 404,
  },
  // Annotators see a snapshot's counts but download only public snapshots, through their public link.
  {
    file: "app/api/datasets/snapshots/[id]/files/[file]/route.ts",
    probe: "/api/datasets/snapshots/999999/files/fer2013.csv",
    access: "researcher",
    allowed: 404,
  },
  {
    file: "app/api/datasets/snapshots/[id]/public/route.ts",
    probe: "/api/datasets/snapshots/999999/public",
    method: "POST",
    body: { public: true },
    access: "researcher",
    allowed: 404,
  },
  {
    file: "app/api/datasets/snapshots/[id]/build/route.ts",
    probe: "/api/datasets/snapshots/999999/build",
    method: "POST",
    access: "researcher",
    allowed: 404,
  },
  {
    file: "app/api/datasets/public/[token]/[file]/route.ts",
    probe: "/api/datasets/public/no-such-public-snapshot-token/fer2013.csv",
    access: "public",
    allowed: 404,
  },
  { file: "app/api/runs/route.ts", probe: "/api/runs", access: "researcher" },
  { file: "app/api/runs/route.ts", probe: "/api/runs", method: "POST", body: {}, access: "researcher", allowed: 400 },
  { file: "app/api/runs/[id]/route.ts", probe: "/api/runs/999999", access: "researcher", allowed: 404 },
  {
    file: "app/api/runs/[id]/cancel/route.ts",
    probe: "/api/runs/999999/cancel",
    method: "POST",
    access: "researcher",
    allowed: 409,
  },
  {
    file: "app/api/runs/[id]/retry/route.ts",
    probe: "/api/runs/999999/retry",
    method: "POST",
    access: "researcher",
    allowed: 409,
  },
  { file: "app/api/runs/schedule/route.ts", probe: "/api/runs/schedule", method: "PUT", body: {}, access: "admin", allowed: 400 },
  { file: "app/api/admin/users/route.ts", probe: "/api/admin/users", access: "admin" },
  {
    file: "app/api/admin/users/[id]/role/route.ts",
    probe: `/api/admin/users/${NO_ONE}/role`,
    method: "POST",
    body: { role: "annotator" },
    access: "admin",
    allowed: 404,
  },
];

export const ROUTE_ACCESS: RouteAccess[] = [...PAGE_ACCESS, ...API_ACCESS];

/** Who may open a page, by its path (`/runs`); undefined for paths not in the table. */
export function pageAccess(path: string): Access | undefined {
  return PAGE_ACCESS.find((route) => route.probe.split("?")[0] === path)?.access;
}

/** Whether `user` (null: signed out) may open the page at `path`; false for paths not in the table. */
export function canOpenPage(user: { role: Role } | null, path: string): boolean {
  const access = pageAccess(path);
  return access === "public" || (access !== undefined && hasRole(user, access));
}
