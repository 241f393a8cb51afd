import { expect, type Page, test } from "@playwright/test";
import sharp from "sharp";
import { FACE_PIXELS } from "../../../lib/images/face-format";
import { syntheticFaces } from "../../../lib/images/synthetic-faces";

/**
 * A photo as a phone might give it: a 400x300 colour JPEG with a face (a synthetic 48x48 face scaled up to
 * 300x300, gray) on the right and a red stripe on the left. The centred crop misses the face by 50 px; the test
 * drags the box onto it.
 */
async function makePhoto(seed: number) {
  const [face] = syntheticFaces(1, seed);
  const big = await sharp(Buffer.from(face.pixels), { raw: { width: 48, height: 48, channels: 1 } })
    .resize(300, 300, { kernel: "nearest" })
    .toColourspace("srgb")
    .raw()
    .toBuffer();
  const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 200, g: 30, b: 40 } } })
    .composite([{ input: big, raw: { width: 300, height: 300, channels: 3 }, left: 100, top: 0 }])
    .jpeg({ quality: 95 })
    .toBuffer();
  return { pixels: face.pixels, jpeg };
}

async function signUpAndIn(page: Page, email: string, password: string) {
  const signUp = await page.request.post("/api/auth/signup", { data: { email, password, name: "Uploader" } });
  expect(signUp.status(), await signUp.text()).toBeLessThan(300);
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const signIn = await page.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, callbackUrl: "/upload", json: "true" },
  });
  expect(signIn.status()).toBeLessThan(400);
  const session = (await (await page.request.get("/api/auth/session")).json()) as { user?: { email?: string } };
  expect(session.user?.email).toBe(email);
}

async function dropFiles(page: Page, files: Array<{ name: string; type: string; base64?: string; size?: number }>) {
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const f of list) {
      const bytes = f.base64 ? Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0)) : new Uint8Array(f.size ?? 0);
      transfer.items.add(new File([bytes], f.name, { type: f.type }));
    }
    return transfer;
  }, files);
  await page.getByTestId("drop-zone").dispatchEvent("drop", { dataTransfer });
}

/** The queue, as the labelling page asks for it: skip what comes first until the image turns up. */
async function findInLabellingQueue(page: Page, imageId: number): Promise<boolean> {
  for (let round = 0; round < 60; round++) {
    const response = await page.request.get("/api/label/next?strategy=unreviewed&count=20");
    expect(response.status(), await response.text()).toBe(200);
    const { items } = (await response.json()) as { items: Array<{ imageId: number; imageUrl: string }> };
    if (items.some((item) => item.imageId === imageId && item.imageUrl === `/api/images/${imageId}`)) return true;
    if (items.length === 0) return false;
    for (const item of items) {
      const skip = await page.request.post("/api/label/skip", { data: { imageId: item.imageId } });
      expect(skip.status()).toBe(200);
    }
  }
  return false;
}

test("an annotator drops a photo, crops it to the face, uploads it, and it joins the labelling queue", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const seed = Date.now() % 1_000_000;
  const photo = await makePhoto(seed);
  await signUpAndIn(page, `uploader-${seed}@example.org`, "correct horse battery");

  // The API signs converted faces only: PNG, small.
  const jpeg = await page.request.post("/api/uploads/presign", {
    data: { contentType: "image/jpeg", contentLength: 5000 },
  });
  expect([jpeg.status(), await jpeg.json()]).toEqual([
    415,
    { error: "unsupported type image/jpeg: uploads are image/png only" },
  ]);
  const big = await page.request.post("/api/uploads/presign", {
    data: { contentType: "image/png", contentLength: 70_000 },
  });
  expect([big.status(), await big.json()]).toEqual([413, { error: "too large (68.4 KB; uploads up to 64 KB)" }]);

  await page.goto("/upload");
  await expect(page.getByRole("heading", { level: 1, name: "Upload" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Your uploads (0)" })).toBeVisible();

  await dropFiles(page, [
    { name: "me.jpg", type: "image/jpeg", base64: photo.jpeg.toString("base64") },
    { name: "notes.txt", type: "text/plain", base64: btoa("hello") },
    { name: "huge.jpg", type: "image/jpeg", size: 21 * 1024 * 1024 },
  ]);

  // Refused in the browser, before any processing.
  await expect(page.getByRole("listitem", { name: "notes.txt" }).getByRole("alert")).toHaveText(
    "Refused: unsupported type text/plain: use a JPEG, PNG or WebP photo",
  );
  await expect(page.getByRole("listitem", { name: "huge.jpg" }).getByRole("alert")).toHaveText(
    "Refused: too large (21 MB; photos up to 20 MB)",
  );

  const item = page.getByRole("listitem", { name: "me.jpg" });
  await expect(item).toHaveAttribute("data-phase", "ready");
  const box = item.getByRole("group", { name: /crop box for me\.jpg/ });
  // Starts as the largest centred square of the 400x300 photo.
  await expect(box).toHaveAttribute("data-crop", "50,0,300");

  // Drag the box 50 photo pixels right, onto the face (the photo is shown at 360/400 = 0.9 scale).
  const at = (await box.boundingBox())!;
  await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
  await page.mouse.down();
  await page.mouse.move(at.x + at.width / 2 + 20, at.y + at.height / 2, { steps: 4 });
  await page.mouse.move(at.x + at.width / 2 + 45, at.y + at.height / 2, { steps: 4 });
  await page.mouse.up();
  await expect(box).toHaveAttribute("data-crop", "100,0,300");
  // The keyboard moves it too: left and back.
  await box.press("ArrowLeft");
  await expect(box).toHaveAttribute("data-crop", "94,0,300");
  await box.press("ArrowRight");
  await expect(box).toHaveAttribute("data-crop", "100,0,300");

  await item.getByRole("button", { name: "Upload face" }).click();
  const done = item.getByRole("status");
  await expect(done).toHaveText(/^Done: image #\d+ is in the labelling queue\.$/, { timeout: 30_000 });
  const imageId = Number(/#(\d+)/.exec((await done.textContent())!)![1]);
  await expect(item).toHaveAttribute("data-phase", "done");
  await expect(page.getByRole("heading", { name: "Your uploads (1)" })).toBeVisible();
  await expect(page.getByRole("img", { name: `your upload, image ${imageId}` })).toBeVisible();

  // What was stored is the cropped face: 48x48, gray, close to the face drawn into the photo (JPEG-compressed).
  const png = await page.request.get(`/api/images/${imageId}`);
  expect(png.status()).toBe(200);
  const stored = await sharp(await png.body())
    .toColourspace("b-w")
    .raw()
    .toBuffer({ resolveWithObject: true });
  expect([stored.info.width, stored.info.height]).toEqual([48, 48]);
  let difference = 0;
  for (let i = 0; i < FACE_PIXELS; i++) difference += Math.abs(stored.data[i] - photo.pixels[i]);
  expect(difference / FACE_PIXELS).toBeLessThan(4);

  // The same face again is refused, with the reason next to the file.
  await dropFiles(page, [{ name: "me-again.jpg", type: "image/jpeg", base64: photo.jpeg.toString("base64") }]);
  const again = page.getByRole("listitem", { name: "me-again.jpg" });
  const againBox = again.getByRole("group", { name: /crop box/ });
  await againBox.press("Shift+ArrowRight"); // 30 px right
  await expect(againBox).toHaveAttribute("data-crop", "80,0,300");
  await againBox.press("Shift+ArrowRight"); // stops at the photo's right edge, which is where the face is
  await expect(againBox).toHaveAttribute("data-crop", "100,0,300");
  await again.getByRole("button", { name: "Upload face" }).click();
  await expect(again.getByRole("alert")).toHaveText(`Failed: already in the dataset (image #${imageId})`, {
    timeout: 30_000,
  });
  await expect(again.getByRole("button", { name: "Try again" })).toBeVisible();

  // After a reload the upload is listed from the server.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Your uploads (1)" })).toBeVisible();
  const listed = (await (await page.request.get("/api/uploads")).json()) as { uploads: Array<{ imageId: number }> };
  expect(listed.uploads.map((u) => u.imageId)).toEqual([imageId]);

  expect(await findInLabellingQueue(page, imageId)).toBe(true);
});

test("the upload API answers 401 to a signed-out client", async ({ request }) => {
  const presign = await request.post("/api/uploads/presign", {
    data: { contentType: "image/png", contentLength: 100 },
  });
  expect(presign.status()).toBe(401);
  const complete = await request.post("/api/uploads/complete", {
    data: { uploadId: "00000000-0000-0000-0000-000000000000" },
  });
  expect(complete.status()).toBe(401);
});
