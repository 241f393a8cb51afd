import { expect, type Page, test } from "@playwright/test";
import { EMOTION_LABELS, EMOTIONS } from "../../../lib/emotions";
import { currentFace, ensureServingModel, nextFace, signUpAnnotator, suggestedFace } from "./support/e2e-app";

const name = (label: number) => (label < 0 ? "Not a face" : EMOTION_LABELS[EMOTIONS[label]]);

/** The label saved for `imageId` by the signed-in user, as the item page shows it. */
async function savedLabel(page: Page, imageId: number): Promise<string> {
  await page.goto(`/items/${imageId}`);
  const mine = page.getByRole("region", { name: "Annotations" }).getByRole("row").filter({ hasText: "you" });
  await expect(mine).toHaveCount(1);
  return (await mine.getByRole("cell").nth(2).textContent())!.trim();
}

test("Tab to a label button: Enter and Space press that button, never accept or skip", async ({ page }) => {
  test.setTimeout(120_000);
  await signUpAnnotator(page, "focus");
  await ensureServingModel(page);
  await page.goto("/label?backend=wasm");
  const face = await suggestedFace(page);
  const top = Number(await page.locator('[data-suggested="true"]').getAttribute("data-label"));
  // A label other than the suggestion's, so accepting by mistake would show.
  const chosen = top === 4 ? 5 : 4;

  // Tab through the page until the chosen label's button has focus.
  for (let i = 0; ; i++) {
    expect(i, "tabbing never reached the label button").toBeLessThan(40);
    await page.keyboard.press("Tab");
    if (await page.evaluate((l) => document.activeElement?.getAttribute("data-label") === String(l), chosen)) break;
  }
  await page.keyboard.press("Enter");
  const second = await nextFace(page, face.id);
  await expect(page.getByTestId("decision-announcement")).toHaveText(`Saved “${name(chosen)}” for face ${face.id}`);
  await expect(page.getByTestId("decision-feedback")).toBeVisible();
  await expect(page.getByTestId("decision-announcement")).toHaveAttribute("aria-live", "polite");

  // Still on the button (a keyboard press keeps focus): Space presses it too, it does not skip the face.
  expect(await page.evaluate(() => document.activeElement?.getAttribute("data-label"))).toBe(String(chosen));
  await page.keyboard.press(" ");
  await nextFace(page, second.id);
  await expect(page.getByTestId("decision-announcement")).toHaveText(`Saved “${name(chosen)}” for face ${second.id}`);
  await expect(page.getByTestId("save-status")).toHaveText("All labels saved", { timeout: 30_000 });

  expect(await savedLabel(page, face.id)).toBe(name(chosen));
  expect(await savedLabel(page, second.id)).toBe(name(chosen));
});

/** Visible elements whose content is wider than their box (cut words, overflowing text). */
async function overflowing(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((elements) =>
    elements
      .filter((e) => e.getClientRects().length > 0)
      .filter((e) => e.scrollWidth > e.clientWidth + 0.5 || e.clientWidth === 0)
      .map((e) => `${e.textContent} (${e.scrollWidth} > ${e.clientWidth})`),
  );
}

/** On a phone the layout viewport grows to fit wide content, so compare with the screen's width, not innerWidth. */
async function noHorizontalScroll(page: Page, screenWidth: number) {
  const widths = await page.evaluate(() => ({
    document: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    viewport: window.innerWidth,
  }));
  expect(widths.document, `page is wider than the ${screenWidth} px screen`).toBeLessThanOrEqual(screenWidth);
  expect(widths.body).toBeLessThanOrEqual(screenWidth);
  expect(widths.viewport).toBe(screenWidth);
}

/** The header (the site's navigation) fits the screen. */
async function headerFits(page: Page, screenWidth: number) {
  const nav = page.getByRole("navigation").first();
  await expect(nav).toBeVisible();
  const box = await nav.evaluate((e) => ({ scroll: e.scrollWidth, right: e.getBoundingClientRect().right }));
  expect(box.scroll).toBeLessThanOrEqual(screenWidth);
  expect(box.right).toBeLessThanOrEqual(screenWidth);
  expect(await overflowing(page, "nav a, nav button, nav span")).toEqual([]);
}

test("on a 390x844 phone: no sideways scroll, whole labels, big targets, tap to label, swipe to skip", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  await signUpAnnotator(page, "phone");
  await ensureServingModel(page);
  await page.goto("/label?backend=wasm");
  let face = await currentFace(page);
  await expect(page.getByTestId("labelling")).toHaveAttribute("data-ready", "true");
  await noHorizontalScroll(page, 390);
  await headerFits(page, 390);

  // The face is square and fills the width.
  const box = (await page.getByTestId("label-face").boundingBox())!;
  expect(Math.abs(box.width - box.height)).toBeLessThan(1);
  expect(box.width).toBeGreaterThanOrEqual(340);

  // Whole words on every button, and every target at least 44 px high.
  const buttons = page.getByRole("group", { name: "Labels" }).getByRole("button");
  await expect(buttons).toHaveCount(8);
  expect(await overflowing(page, '[data-testid="label-name"]')).toEqual([]);
  expect(await overflowing(page, '[role="group"] button')).toEqual([]);
  for (const button of await page.locator('main [role="group"] button:visible').all()) {
    const b = (await button.boundingBox())!;
    expect(b.height, `${await button.textContent()}`).toBeGreaterThanOrEqual(44);
    expect(b.width).toBeGreaterThanOrEqual(44);
  }
  // The labels and the suggestion's accept button are on the first screen.
  const last = (await buttons.last().boundingBox())!;
  expect(last.y + last.height).toBeLessThanOrEqual(844);
  // No keyboard hints on a touch screen.
  await expect(page.locator("main kbd").first()).toBeHidden();
  expect(await page.locator("main kbd:visible").count()).toBe(0);
  await expect(page.getByText("Swipe the face sideways to skip it")).toBeVisible();

  // Tap a label: saved, and said so.
  await buttons.filter({ hasText: "Surprise" }).tap();
  const second = await nextFace(page, face.id);
  await expect(page.getByTestId("decision-announcement")).toHaveText(`Saved “Surprise” for face ${face.id}`);
  // Swipe the face sideways: skipped.
  const faceBox = (await page.getByTestId("label-face").boundingBox())!;
  const y = faceBox.y + faceBox.height / 2;
  await page.mouse.move(faceBox.x + faceBox.width * 0.7, y);
  await page.mouse.down();
  await page.mouse.move(faceBox.x + faceBox.width * 0.5, y, { steps: 3 });
  await page.mouse.move(faceBox.x + faceBox.width * 0.15, y, { steps: 3 });
  await page.mouse.up();
  face = await nextFace(page, second.id);
  await expect(page.getByTestId("decision-announcement")).toHaveText(`Skipped face ${second.id}`);
  await expect(page.getByTestId("save-status")).toHaveText("All labels saved", { timeout: 30_000 });

  // The header fits on the other pages too; "/" has no sideways scroll at all.
  await page.goto("/");
  await expect(page.getByTestId("annotator-dashboard")).toBeVisible();
  await noHorizontalScroll(page, 390);
  await headerFits(page, 390);
  await page.goto("/datasets");
  await headerFits(page, 390);
  await context.close();
});
