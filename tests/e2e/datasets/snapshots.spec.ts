import { createHash } from "node:crypto";
import fs from "node:fs";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { adminSession, sessionWithRole } from "../auth/accounts";

/**
 * Snapshots end to end on the running app (its demo faces): a researcher makes one through the /datasets form and
 * watches its files get written; the download resumes halfway with Range to the same bytes; an annotator sees the
 * counts but no downloads and is refused the file; a public link works signed out until it is withdrawn.
 */
interface FileView {
  name: string;
  status: string;
  sizeBytes: number | null;
  sha256: string | null;
  url: string | null;
}
interface SnapshotView {
  id: number;
  version: number;
  name: string;
  imageCount: number;
  publicUrl: string | null;
  files: FileView[];
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

test.describe("dataset snapshots", () => {
  let admin: APIRequestContext;
  let annotator: APIRequestContext;
  let anonymous: APIRequestContext;

  test.beforeAll(async ({ playwright }, testInfo) => {
    const baseURL = testInfo.project.use.baseURL;
    admin = await playwright.request.newContext({ baseURL });
    annotator = await playwright.request.newContext({ baseURL });
    anonymous = await playwright.request.newContext({ baseURL });
    await adminSession(admin);
    await sessionWithRole(admin, annotator, "annotator");
  });
  test.afterAll(async () => {
    for (const context of [admin, annotator, anonymous]) await context?.dispose();
  });

  test("a researcher makes a snapshot and downloads it; annotators see counts only; public links work for anyone", async ({ page }) => {
    test.setTimeout(180_000);
    await sessionWithRole(admin, page.request, "researcher");
    const name = `e2e snapshot ${Date.now()}`;
    await page.goto("/datasets");
    const form = page.getByRole("form", { name: "Make a snapshot" });
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Labels").selectOption("majority");
    await form.getByRole("button", { name: "Make snapshot" }).click();

    const card = page.getByRole("article").filter({ hasText: name });
    await expect(card).toBeVisible({ timeout: 30_000 });
    // The page refreshes itself while files are written; every file ends with a download link.
    await expect(card.getByRole("link", { name: "Download" })).toHaveCount(5, { timeout: 120_000 });

    const list = (await (await page.request.get("/api/datasets/snapshots")).json()) as { snapshots: SnapshotView[] };
    const snapshot = list.snapshots.find((s) => s.name === name)!;
    expect(snapshot.imageCount).toBeGreaterThan(0);
    const csv = snapshot.files.find((f) => f.name === "fer2013.csv")!;
    expect(csv.url).toBe(`/api/datasets/snapshots/${snapshot.id}/files/fer2013.csv`);

    // The link redirects to a presigned S3 GET: Content-Length, Accept-Ranges, and Range resumes there.
    const redirect = await page.request.get(csv.url!, { maxRedirects: 0 });
    expect(redirect.status()).toBe(302);
    const s3Url = redirect.headers()["location"];
    const full = await page.request.get(s3Url);
    expect(full.status()).toBe(200);
    const body = await full.body();
    expect(full.headers()["content-length"]).toBe(String(body.length));
    expect(full.headers()["accept-ranges"]).toBe("bytes");
    expect(sha256(body)).toBe(csv.sha256);
    expect(body.subarray(0, 21).toString()).toBe("emotion,pixels,Usage\n");
    const half = Math.floor(body.length / 2);
    const fromS3 = await page.request.get(s3Url, { headers: { range: `bytes=${half}-` } });
    expect(fromS3.status()).toBe(206);
    expect(sha256(Buffer.concat([body.subarray(0, half), await fromS3.body()]))).toBe(csv.sha256);

    // Streamed through the app instead: strong ETag (the SHA-256), Accept-Ranges, 206 with the total.
    const viaApp = `${csv.url}?via=app`;
    const head = await page.request.get(viaApp, { headers: { range: `bytes=0-${half - 1}` } });
    expect(head.status()).toBe(206);
    expect(head.headers()["accept-ranges"]).toBe("bytes");
    expect(head.headers()["etag"]).toBe(`"${csv.sha256}"`);
    const rest = await page.request.get(viaApp, { headers: { range: `bytes=${half}-`, "if-range": `"${csv.sha256}"` } });
    expect(rest.status()).toBe(206);
    expect(rest.headers()["content-range"]).toBe(`bytes ${half}-${body.length - 1}/${body.length}`);
    expect(sha256(Buffer.concat([await head.body(), await rest.body()]))).toBe(csv.sha256);

    // The browser's own download of the zip.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      card.getByRole("row").filter({ hasText: "images-jpeg.zip" }).getByRole("link", { name: "Download" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`faceloop-v${snapshot.version}-images-jpeg.zip`);
    const zipEntry = snapshot.files.find((f) => f.name === "images-jpeg.zip")!;
    expect(sha256(fs.readFileSync(await download.path()))).toBe(zipEntry.sha256);

    // Annotators: counts, no links, the file refused.
    const seen = (await (await annotator.get(`/api/datasets/snapshots/${snapshot.id}`)).json()) as { snapshot: SnapshotView };
    expect(seen.snapshot.imageCount).toBe(snapshot.imageCount);
    expect(seen.snapshot.files.every((f) => f.url === null)).toBe(true);
    expect((await annotator.get(csv.url!)).status()).toBe(403);
    expect((await anonymous.get(csv.url!)).status()).toBe(401);

    // Public: anyone with the link, until it is withdrawn.
    const made = await page.request.post(`/api/datasets/snapshots/${snapshot.id}/public`, { data: { public: true } });
    expect(made.status()).toBe(200);
    const publicUrl = ((await made.json()) as { snapshot: SnapshotView }).snapshot.publicUrl!;
    const shared = await anonymous.get(`${publicUrl}/fer2013.csv`);
    expect(shared.status()).toBe(200);
    expect(sha256(await shared.body())).toBe(csv.sha256);
    const annotatorView = (await (await annotator.get(`/api/datasets/snapshots/${snapshot.id}`)).json()) as { snapshot: SnapshotView };
    expect(annotatorView.snapshot.files.find((f) => f.name === "fer2013.csv")?.url).toBe(`${publicUrl}/fer2013.csv`);
    await page.request.post(`/api/datasets/snapshots/${snapshot.id}/public`, { data: { public: false } });
    expect((await anonymous.get(`${publicUrl}/fer2013.csv`)).status()).toBe(404);
  });

  test("annotators see snapshots and imports without downloads, the form or server paths", async ({ page }) => {
    await sessionWithRole(admin, page.request, "annotator");
    await page.goto("/datasets");
    await expect(page.getByRole("heading", { name: "Snapshots" })).toBeVisible();
    await expect(page.getByRole("form", { name: "Make a snapshot" })).toHaveCount(0);
    const cards = page.getByRole("article");
    if ((await cards.count()) > 0) {
      await expect(cards.first().getByText("researchers only").first()).toBeVisible();
      await expect(cards.first().getByRole("link", { name: "Download" })).toHaveCount(0);
    }
    await expect(page.locator("main")).not.toContainText(/\/(tmp|home|work|root|Users)\//);
  });
});
