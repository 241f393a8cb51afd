import { expect, type Page, test } from "@playwright/test";
import { currentFace, ensureServingModel, nextFace, signUpAnnotator } from "./support/e2e-app";

/** Every image id the page's labelling session was handed (the server-rendered claim and each queue answer). */
function servedIds(page: Page): Promise<Set<number>> {
  return page
    .evaluate(() => (window as unknown as { __faceloopLabelling: { served(): number[] } }).__faceloopLabelling.served())
    .then((ids) => new Set(ids));
}

test("a second annotator in another browser never gets the faces the first one holds", async ({ browser }) => {
  const first = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  await signUpAnnotator(first, "first");
  await signUpAnnotator(second, "second");
  await ensureServingModel(first);

  await first.goto("/label?backend=wasm");
  let face = await currentFace(first);
  // Label three, so the first annotator's buffer is refilled: they hold the current face and ~5 ahead.
  const firstLabelled = new Set<number>();
  for (let i = 0; i < 3; i++) {
    firstLabelled.add(face.id);
    await first.keyboard.press("7");
    face = await nextFace(first, face.id);
  }
  await expect(first.getByText(/[3-9] faces ready ahead/)).toBeVisible();
  const firstServed = await servedIds(first);
  expect(firstServed.size).toBeGreaterThanOrEqual(6);

  await second.goto("/label?backend=wasm");
  let other = await currentFace(second);
  for (let i = 0; i < 3; i++) {
    await second.keyboard.press("4");
    other = await nextFace(second, other.id);
  }
  await expect(second.getByText(/[1-9] faces ready ahead/)).toBeVisible();
  const secondServed = await servedIds(second);
  expect(secondServed.size).toBeGreaterThanOrEqual(6);
  // Faces the first one labelled are free again (up to LABEL_OVERLAP people label each); the held ones are not.
  const firstHeld = [...firstServed].filter((id) => !firstLabelled.has(id));
  const shared = [...secondServed].filter((id) => firstHeld.includes(id));
  expect(shared, "faces served to both annotators while the first held them").toEqual([]);
  expect(firstHeld).not.toContain(other.id);
  await expect(first.getByTestId("save-status")).toHaveText("All labels saved");
  await expect(second.getByTestId("save-status")).toHaveText("All labels saved");
});
