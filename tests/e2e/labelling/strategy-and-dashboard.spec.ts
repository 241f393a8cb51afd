import { expect, test } from "@playwright/test";
import { currentFace, ensureServingModel, nextFace, queryAppDb, signUpAnnotator } from "./support/e2e-app";

test("switching strategy serves the new strategy's first face at once, not the old one's buffer", async ({ page }) => {
  const me = await signUpAnnotator(page, "switch");
  await ensureServingModel(page);
  await page.goto("/label?strategy=random&backend=wasm");
  const randomFace = await currentFace(page);
  await expect(page.getByTestId("labelling")).toHaveAttribute("data-ready", "true");
  await expect(page.getByText(/[3-9] faces ready ahead/)).toBeVisible();

  await page.getByRole("navigation", { name: "Queue" }).getByRole("link", { name: "unreviewed" }).click();
  await expect(page).toHaveURL(/strategy=unreviewed/);
  await expect(page.getByTestId("labelling")).toHaveAttribute("data-ready", "true");
  const shown = await currentFace(page);
  // The random buffer was given back: the face on screen is the first the unreviewed order has for this user.
  const head = await queryAppDb<{ id: number }>("unreviewed-head", me.id);
  expect(shown.id).toBe(head.id);
  expect(shown.id === randomFace.id ? "the random face stayed" : "switched").toBe("switched");
});

test("the dashboard on / shows the annotator's own numbers, equal to the database's", async ({ page }) => {
  test.setTimeout(120_000);
  const me = await signUpAnnotator(page, "dashboard");
  await ensureServingModel(page);
  await page.goto("/");
  await expect(page.getByTestId("labels-total")).toHaveText("0");
  await expect(page.getByTestId("median-seconds")).toHaveText("–");

  await page.goto("/label?backend=wasm");
  let face = await currentFace(page);
  await expect(page.getByTestId("labelling")).toHaveAttribute("data-ready", "true");
  for (const key of ["4", "5", "7"]) {
    await page.waitForTimeout(300); // some time on screen, so durations differ from zero
    await page.keyboard.press(key);
    face = await nextFace(page, face.id);
  }
  await expect(page.getByTestId("save-status")).toHaveText("All labels saved", { timeout: 30_000 });

  await page.goto("/");
  const db = await queryAppDb<{
    total: number;
    today: number;
    median_ms: number;
    available: number;
    with_consensus: number;
  }>("progress", me.id);
  expect(db.total).toBe(3);
  await expect(page.getByTestId("labels-total")).toHaveText(String(db.total));
  await expect(page.getByTestId("labels-today")).toHaveText(String(db.today));
  await expect(page.getByTestId("median-seconds")).toHaveText(`${(db.median_ms / 1000).toFixed(1)} s`);
  for (const strategy of ["unreviewed", "random"]) {
    await expect(page.getByTestId(`queue-left-${strategy}`)).toHaveAttribute("data-left", String(db.available));
  }
  if (db.with_consensus === 0) await expect(page.getByTestId("agreement")).toHaveText("–");
  else await expect(page.getByTestId("agreement")).toHaveText(/^\d+ %$/);
});
