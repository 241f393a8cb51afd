import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { signInViaApi, signUpViaApi, uniqueAccount, type Account } from "../../auth/accounts";

/**
 * The data folder of the app under test: E2E_DATA_DIR, or playwright.config.ts's default, which is named after the
 * runner's pid (test workers are the runner's children).
 */
export function e2eDataDir(): string {
  const dir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `faceloop-e2e-${process.ppid}`);
  if (!fs.existsSync(path.join(dir, "runtime.json"))) {
    throw new Error(`no running faceloop found in ${dir}; set E2E_DATA_DIR to the data folder the e2e server uses`);
  }
  return dir;
}

/** Publishes a new (untrained) compact version as the serving one, straight into the running app's services. */
export function publishServingModel(): Promise<{ id: number; version: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      "npx",
      ["tsx", "tests/e2e/labelling/support/publish-model.ts"],
      { env: { ...process.env, DATA_DIR: e2eDataDir() }, encoding: "utf8", timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`publishing a model failed: ${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split("\n").pop()!) as { id: number; version: string });
      },
    );
  });
}

/** Runs a read-only query of support/app-db.ts against the running app's database. */
export function queryAppDb<T>(query: "progress" | "unreviewed-head", userId: string): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      "npx",
      ["tsx", "tests/e2e/labelling/support/app-db.ts", query, userId],
      { env: { ...process.env, DATA_DIR: e2eDataDir() }, encoding: "utf8", timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`querying the app's database failed: ${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split("\n").pop()!) as T);
      },
    );
  });
}

/** The serving version's id, publishing one first when the install has none (the demo seed may not have run). */
export async function ensureServingModel(page: Page): Promise<number> {
  const response = await page.request.get("/api/models/serving");
  if (response.status() === 200) return ((await response.json()) as { id: number }).id;
  expect(response.status()).toBe(404);
  return (await publishServingModel()).id;
}

/** A new annotator, signed in in `page`'s context through the API. */
export async function signUpAnnotator(page: Page, prefix = "labeller"): Promise<Account & { id: string }> {
  const account = uniqueAccount(prefix);
  const created = await signUpViaApi(page.request, account);
  expect(created.status(), await created.text()).toBe(201);
  const session = await signInViaApi(page.request, account);
  return { ...account, id: session.id };
}

/**
 * The face on screen, once it is there and the page can act on it (the first face is server-rendered, so it shows
 * before the page has hydrated; a key pressed before that is lost): its image id and whether it is a blind item.
 */
export async function currentFace(page: Page): Promise<{ id: number; blind: boolean }> {
  const face = page.getByTestId("label-face");
  await expect(face).toBeVisible();
  await expect(page.getByTestId("labelling")).toHaveAttribute("data-ready", "true");
  return {
    id: Number(await face.getAttribute("data-image-id")),
    blind: (await face.getAttribute("data-blind")) === "true",
  };
}

/** Waits until a face other than `previous` is shown. */
export async function nextFace(page: Page, previous: number): Promise<{ id: number; blind: boolean }> {
  await expect
    .poll(async () =>
      Number(
        (await page
          .getByTestId("label-face")
          .getAttribute("data-image-id", { timeout: 1000 })
          .catch(() => null)) ?? previous,
      ),
    )
    .not.toBe(previous);
  return currentFace(page);
}

/** Labels blind faces (Neutral) until one with a suggestion is on screen, and returns it. */
export async function suggestedFace(page: Page): Promise<{ id: number; blind: boolean }> {
  let face = await currentFace(page);
  for (let i = 0; face.blind; i++) {
    expect(i, "ten blind faces in a row").toBeLessThan(10);
    await page.keyboard.press("7");
    face = await nextFace(page, face.id);
  }
  await expect(page.getByTestId("suggestion-top").getByRole("listitem")).toHaveCount(3);
  return face;
}
