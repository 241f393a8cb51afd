import { expect, test } from "@playwright/test";
import {
  currentFace,
  ensureServingModel,
  nextFace,
  publishServingModel,
  signUpAnnotator,
  suggestedFace,
} from "./support/e2e-app";

test("the model files are served with immutable caching, only to signed-in users, and only real files", async ({
  page,
  playwright,
}) => {
  await signUpAnnotator(page, "files");
  const servingId = await ensureServingModel(page);
  const serving = await page.request.get("/api/models/serving");
  expect(serving.headers()["cache-control"]).toBe("no-store");
  const ref = (await serving.json()) as { id: number; modelName: string; modelJsonUrl: string };
  expect(ref).toMatchObject({
    id: servingId,
    modelName: "compact",
    modelJsonUrl: `/api/models/${servingId}/files/model.json`,
  });

  const modelJson = await page.request.get(ref.modelJsonUrl);
  expect(modelJson.status()).toBe(200);
  expect(modelJson.headers()["cache-control"]).toBe("private, max-age=31536000, immutable");
  const manifest = ((await modelJson.json()) as { weightsManifest: { paths: string[] }[] }).weightsManifest;
  const shard = await page.request.get(`/api/models/${servingId}/files/${manifest[0].paths[0]}`);
  expect(shard.status()).toBe(200);
  expect((await shard.body()).length).toBeGreaterThan(1_000_000); // the compact net: ~460k float32 weights

  expect((await page.request.get(`/api/models/${servingId}/files/..%2Fmodel.json`)).status()).toBe(400);
  expect((await page.request.get(`/api/models/${servingId}/files/group9-shard1of1.bin`)).status()).toBe(404);
  expect((await page.request.get("/api/models/99999/files/model.json")).status()).toBe(404);
  expect((await page.request.get("/api/models/x/files/model.json")).status()).toBe(400);
  const anonymous = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  expect((await anonymous.get(ref.modelJsonUrl)).status()).toBe(401);
  expect((await anonymous.get("/api/models/serving")).status()).toBe(401);
  const wasm = await anonymous.get("/api/tfjs-wasm/tfjs-backend-wasm-simd.wasm");
  expect(wasm.headers()["content-type"]).toBe("application/wasm");
  expect((await anonymous.get("/api/tfjs-wasm/other.wasm")).status()).toBe(404);
  await anonymous.dispose();
});

test("the page picks the backend itself, caches the weights, and follows a newly published version without a reload", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signUpAnnotator(page, "versions");
  const before = await ensureServingModel(page);

  // Headless Chromium renders WebGL in software (SwiftShader): the page must not pick webgl there.
  await page.goto("/label");
  const suggestion = page.getByTestId("suggestion");
  await suggestedFace(page);
  await expect(suggestion).toHaveAttribute("data-model-version", String(before));
  const stats = () =>
    page.evaluate(() => {
      const s = (
        window as unknown as {
          __faceloopLabelling: { stats(): { backend: string; backendReason: string; loadedFrom: string } };
        }
      ).__faceloopLabelling.stats();
      return { backend: s.backend, reason: s.backendReason, loadedFrom: s.loadedFrom };
    });
  const renderer = await page.evaluate(() => {
    const gl = document.createElement("canvas").getContext("webgl2");
    const info = gl?.getExtension("WEBGL_debug_renderer_info");
    return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : "";
  });
  const cachedVersions = () =>
    page.evaluate(() =>
      (
        window as unknown as { __faceloopLabelling: { stats(): { cachedVersions(): Promise<number[]> } } }
      ).__faceloopLabelling
        .stats()
        .cachedVersions(),
    );
  const first = await stats();
  if (/swiftshader|llvmpipe/i.test(renderer)) expect(first.backend).toBe("wasm");
  expect(first.loadedFrom).toBe("network");
  await expect(page.getByTestId("suggestion-backend")).toHaveText(first.backend);

  // The weights are kept in IndexedDB: a second load reads them from there. A forced backend is used as asked.
  await expect.poll(cachedVersions).toEqual([before]);
  await page.goto("/label?backend=cpu");
  await suggestedFace(page);
  await expect(suggestion).toHaveAttribute("data-model-version", String(before));
  expect(await stats()).toMatchObject({ backend: "cpu", reason: "forced (cpu)", loadedFrom: "indexeddb" });

  await page.goto("/label?backend=wasm");
  await suggestedFace(page);
  await expect(suggestion).toHaveAttribute("data-model-version", String(before));
  const published = await publishServingModel();
  expect(published.id).not.toBe(before);
  // The queue's answers carry the serving version: labelling a few faces refills the buffer and brings it along.
  let face = await currentFace(page);
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press("7");
    face = await nextFace(page, face.id);
  }
  await expect(suggestion).toHaveAttribute("data-serving-version", String(published.id), { timeout: 30_000 });
  await expect(suggestion).toContainText(`compact v${published.id}`);
  await suggestedFace(page);
  await expect(suggestion).toHaveAttribute("data-model-version", String(published.id));
  expect((await stats()).loadedFrom).toBe("network");
  // Only the version in use stays cached.
  await expect.poll(cachedVersions).toEqual([published.id]);
});
