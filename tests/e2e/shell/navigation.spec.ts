import { expect, test } from "@playwright/test";
import { adminSession } from "../auth/accounts";

// Every page needs a signed-in user now: sign in as the e2e admin, who may open all of them.
test.beforeEach(async ({ page }) => {
  await adminSession(page.request);
});

test("a fresh install shows its demo faces on every page of the shell", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("link", { name: "faceloop" })).toBeVisible();

  for (const [name, heading] of [
    ["Datasets", "Datasets"],
    ["Runs", "Training runs"],
    ["Models", "Models"],
    ["Label", "Label"],
    ["Upload", "Upload"],
  ] as const) {
    await page.getByRole("navigation").getByRole("link", { name, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expect(page.getByRole("navigation").getByRole("link", { name, exact: true })).toHaveAttribute(
      "aria-current",
      "page",
    );
  }

  await page.goto("/datasets");
  // The seeded synthetic set: 420 train + 70 val + 70 test faces.
  await expect(page.getByText("560 distinct faces")).toBeVisible();
  const face = page.locator("img.face-pixels").first();
  await expect(face).toBeVisible();
  // The face really loaded from S3 through the image route: a 48x48 PNG.
  const size = await face.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
  expect(size).toEqual([48, 48]);
});

test("the image route answers 404 for a missing face and 400 for a malformed id", async ({ page }) => {
  const request = page.request;
  expect((await request.get("/api/images/99999999")).status()).toBe(404);
  expect((await request.get("/api/images/abc")).status()).toBe(400);
  const ok = await request.get("/api/images/1");
  expect(ok.status()).toBe(200);
  expect(ok.headers()["content-type"]).toBe("image/png");
});
