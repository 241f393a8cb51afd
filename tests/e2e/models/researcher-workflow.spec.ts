import { type ChildProcess, spawn } from "node:child_process";
import { expect, type Page, test } from "@playwright/test";
import { adminSession, sessionWithRole } from "../auth/accounts";
import { currentFace, e2eDataDir, ensureServingModel, nextFace } from "../labelling/support/e2e-app";

/**
 * The researcher's loop in the browser against `npm start` and a real trainer service (`npm run trainer`, against
 * the app's embedded database): start a small run on the demo faces from /runs, watch it finish, find it ranked,
 * open its page, compare it, promote it, and see an open labelling page switch to it. An annotator is refused each.
 */
let trainer: ChildProcess | undefined;
let trainerLog = "";

test.beforeAll(() => {
  trainer = spawn("npx", ["tsx", "trainer/index.ts"], {
    env: { ...process.env, DATA_DIR: e2eDataDir(), TRAINER_BACKEND: "wasm" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => {
    trainerLog = (trainerLog + chunk.toString()).slice(-20_000);
  };
  trainer.stdout!.on("data", keep);
  trainer.stderr!.on("data", keep);
});

test.afterAll(async () => {
  if (trainer && trainer.exitCode === null) {
    const exited = new Promise((resolve) => trainer!.once("exit", resolve));
    trainer.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (trainer.exitCode === null) trainer.kill("SIGKILL");
  }
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach("trainer log", { body: trainerLog });
});

/** Imports the serving version's model.json and weights through the import API, as an outside model would come. */
async function importServingFiles(page: Page, versionId: number): Promise<{ modelVersionId: number; evaluationRunId: number }> {
  const modelJson = await (await page.request.get(`/api/models/${versionId}/files/model.json`)).body();
  const form = new FormData();
  form.append("files", new Blob([new Uint8Array(modelJson)]), "model.json");
  for (const path of (JSON.parse(modelJson.toString()) as { weightsManifest: { paths: string[] }[] }).weightsManifest.flatMap((g) => g.paths)) {
    form.append("files", new Blob([new Uint8Array(await (await page.request.get(`/api/models/${versionId}/files/${path}`)).body())]), path);
  }
  form.append("name", `demo-${Date.now()}`);
  form.append("classOrder", "fer2013");
  const response = await page.request.post("/api/models/import", { multipart: form });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { modelVersionId: number; evaluationRunId: number };
}

async function startRun(page: Page, options: { epochs: number; maxTrainImages: number }): Promise<number> {
  const form = page.getByRole("form", { name: "start a run" });
  // By name: the label "Model" is also in the Preset list's "seed (the model's own)".
  await form.locator('select[name="modelName"]').selectOption("compact");
  await form.locator('select[name="preset"]').selectOption("fast");
  await form.locator('input[name="length"]').fill(String(options.epochs));
  await form.getByLabel("At most N training faces").fill(String(options.maxTrainImages));
  await form.getByRole("button", { name: "Start run" }).click();
  const status = form.getByRole("status");
  await expect(status).toHaveText(/Run #\d+ queued/);
  return Number(/#(\d+)/.exec((await status.textContent())!)![1]);
}

test("a researcher starts a run, watches it, ranks, inspects, compares and promotes it; labelling follows", async ({
  page,
  browser,
  playwright,
}) => {
  test.setTimeout(600_000);
  const baseURL = test.info().project.use.baseURL;
  const admin = await playwright.request.newContext({ baseURL });
  await adminSession(admin);
  await sessionWithRole(admin, page.request, "researcher");
  const annotatorContext = await browser.newContext({ baseURL });
  const annotatorPage = await annotatorContext.newPage();
  await sessionWithRole(admin, annotatorPage.request, "annotator");
  const before = await ensureServingModel(page);

  // The admin switches the retrain schedule off from /runs, so only our runs reach the trainer.
  const adminContext = await browser.newContext({ baseURL, storageState: await admin.storageState() });
  const adminPage = await adminContext.newPage();
  await adminPage.goto("/runs");
  const schedule = adminPage.getByRole("form", { name: "retrain schedule" });
  await schedule.getByLabel("on", { exact: true }).uncheck();
  await schedule.getByRole("button", { name: "Save schedule" }).click();
  await expect(schedule.getByRole("status")).toHaveText("Schedule saved");
  await adminContext.close();

  // Start a small run from the form and watch it without reloading.
  await page.goto("/runs");
  await expect(page.getByRole("form", { name: "retrain schedule" }).getByRole("button")).toHaveCount(0); // researchers only see it
  const runId = await startRun(page, { epochs: 2, maxTrainImages: 96 });
  // Meanwhile an outside model comes in (the serving version's own files, stated in FER-2013 order) for the
  // trainer to evaluate on the same frozen test split.
  const imported = await importServingFiles(page, before);
  const row = page.getByTestId(`run-${runId}`);
  await expect(row).toHaveAttribute("data-status", "running", { timeout: 120_000 });
  await expect(row.getByTestId("run-progress")).toContainText(/epoch \d\/2.*images\/s.*ETA/, { timeout: 120_000 });
  await expect(row.getByTestId("run-log")).toContainText("tfjs backend", { timeout: 30_000 });
  await expect(row).toHaveAttribute("data-status", "succeeded", { timeout: 420_000 });
  await expect(row.getByTestId("run-curves").locator('polyline[data-series="val"]')).toHaveCount(2);
  const versionLink = row.getByRole("link", { name: /version \d+/ });
  const versionId = Number((await versionLink.textContent())!.replace(/\D/g, ""));

  // Ranked on the leaderboard, beside the demo model measured on the same test.
  await page.goto("/models");
  const ranked = page.getByTestId(`leaderboard-row-${versionId}`);
  await expect(ranked).toHaveAttribute("data-rank", /^[12]$/);
  await page.goto("/models?sort=accuracy&dir=asc");
  await expect(page.getByTestId("leaderboard").locator("th[aria-sort=ascending]")).toContainText("Acc.");

  // Its page: config, confusion matrix, per-class table, reliability diagram, hardest faces.
  await ranked.getByRole("link", { name: `compact v${versionId}` }).click();
  await expect(page).toHaveURL(new RegExp(`/models/${versionId}$`));
  await expect(page.getByTestId("run-config")).toContainText('"maxTrainImages": 96');
  await expect(page.getByRole("table", { name: /confusion matrix/ }).locator("td")).toHaveCount(49);
  await expect(page.getByTestId("per-class").locator("tbody tr")).toHaveCount(7);
  await expect(page.getByTestId("reliability-diagram")).toBeVisible();
  await expect(page.getByTestId("hardest").locator("img").first()).toBeVisible();

  // The outside model, evaluated meanwhile, ranks beside it.
  await expect
    .poll(async () => ((await (await page.request.get(`/api/runs/${imported.evaluationRunId}`)).json()) as { run: { status: string } }).run.status, {
      timeout: 120_000,
    })
    .toBe("succeeded");
  await page.goto("/models");
  await expect(page.getByTestId(`leaderboard-row-${imported.modelVersionId}`)).toHaveAttribute("data-rank", /^\d$/);
  await expect(page.getByTestId(`leaderboard-row-${imported.modelVersionId}`)).toContainText("outside");

  // Compared with it: per-class differences, changed faces, McNemar's test.
  await page.goto(`/models/compare?v=${imported.modelVersionId}&v=${versionId}`);
  await expect(page.getByTestId("mcnemar")).toContainText("McNemar");
  await expect(page.getByTestId("mcnemar-p")).toHaveText(/^\d/);
  await expect(page.getByTestId("per-class-diff").locator("tbody tr")).toHaveCount(7);

  // An annotator's open labelling page, suggesting from the version serving now.
  await annotatorPage.goto("/label");
  const suggestion = annotatorPage.getByTestId("suggestion");
  await expect(suggestion).toHaveAttribute("data-serving-version", String(before), { timeout: 60_000 });

  // Promoted, with a reason; the labelling page picks it up without a reload.
  await page.goto(`/models/${versionId}`);
  await page.getByPlaceholder("why (kept in the audit log)").fill("e2e: the new run");
  await page.getByRole("button", { name: "Make this the serving version" }).click();
  await expect(page.getByTestId("serving-badge")).toBeVisible();
  let face = await currentFace(annotatorPage);
  for (let i = 0; i < 4; i++) {
    await annotatorPage.keyboard.press("7");
    face = await nextFace(annotatorPage, face.id);
  }
  await expect(suggestion).toHaveAttribute("data-serving-version", String(versionId), { timeout: 30_000 });

  // The zip of its tfjs files.
  const zip = await page.request.get(`/api/models/${versionId}/download`);
  expect(zip.status()).toBe(200);
  expect(zip.headers()["content-type"]).toBe("application/zip");
  expect((await zip.body()).subarray(0, 2).toString()).toBe("PK");

  // Roll back to the version before.
  const rollback = await page.request.post(`/api/models/${before}/promote`, { data: { reason: "e2e: roll back" } });
  expect(await rollback.json()).toMatchObject({ from: versionId, to: before, action: "rolled_back" });

  // An annotator is refused every one of these actions.
  const refused = annotatorPage.request;
  expect((await refused.post("/api/runs", { data: { modelName: "compact", config: {} } })).status()).toBe(403);
  expect((await refused.post(`/api/runs/${runId}/cancel`)).status()).toBe(403);
  expect((await refused.post(`/api/runs/${runId}/retry`)).status()).toBe(403);
  expect((await refused.post(`/api/models/${versionId}/promote`, { data: { reason: "me too" } })).status()).toBe(403);
  expect((await refused.get(`/api/models/${versionId}/download`)).status()).toBe(403);
  expect((await refused.post("/api/models/import", { multipart: { name: "x", classOrder: "fer2013" } })).status()).toBe(403);
  for (const path of ["/runs", "/models", `/models/${versionId}`, `/models/compare?v=${before}&v=${versionId}`, "/models/import"]) {
    await annotatorPage.goto(path);
    await expect(annotatorPage).toHaveURL(/\/forbidden/);
  }
  await annotatorContext.close();
  await admin.dispose();
});

test("a queued run is cancelled from /runs and retried", async ({ page, playwright }) => {
  test.setTimeout(120_000);
  const admin = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  await adminSession(admin);
  await sessionWithRole(admin, page.request, "researcher");
  await page.goto("/runs");
  // Two runs: the first keeps the trainer busy (or is claimed), so the second stays queued.
  const first = await startRun(page, { epochs: 50, maxTrainImages: 96 });
  const second = await startRun(page, { epochs: 50, maxTrainImages: 96 });
  for (const id of [second, first]) {
    const row = page.getByTestId(`run-${id}`);
    await row.getByRole("button", { name: "Cancel" }).click();
    await expect(row).toHaveAttribute("data-status", "cancelled", { timeout: 60_000 });
  }
  await page.getByTestId(`run-${second}`).getByRole("button", { name: "Retry" }).click();
  const retried = page.locator('[data-testid^="run-"][data-status="queued"]').filter({ hasText: `retry of #${second}` });
  await expect(retried).toHaveCount(1);
  await retried.getByRole("button", { name: "Cancel" }).click();
  await expect(page.locator('[data-status="queued"]')).toHaveCount(0);
  await admin.dispose();
});
