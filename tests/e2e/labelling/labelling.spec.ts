import { expect, type Page, test } from "@playwright/test";
import { EMOTION_LABELS, EMOTIONS } from "../../../lib/emotions";
import { currentFace, ensureServingModel, nextFace, signUpAnnotator } from "./support/e2e-app";

const name = (label: number) => (label < 0 ? "Not a face" : EMOTION_LABELS[EMOTIONS[label]]);

/** The suggestion's top class as shown, e.g. "Happy". */
async function shownTopLabel(page: Page): Promise<string> {
  const top = page.getByTestId("suggestion-top").getByRole("listitem");
  await expect(top).toHaveCount(3);
  return (await top.first().locator("span").first().textContent())!.trim();
}

test("an annotator signs up and labels 20 faces by keyboard, with suggestions, an undo and a blind item", async ({
  page,
}) => {
  test.setTimeout(180_000);
  // Sign up through the form, starting from the page itself.
  await page.goto("/label");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Flabel/);
  await page.getByRole("link", { name: "Create one" }).click();
  const email = `keys-${Date.now()}@faceloop.test`;
  await page.getByLabel("Name").fill("Keyboard Labeller");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("keyboard-labeller-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Label" })).toBeVisible();
  const servingId = await ensureServingModel(page);
  await page.reload();

  // Keys are on screen, in canonical order.
  const labels = page.getByRole("group", { name: "Labels" }).getByRole("button");
  await expect(labels).toHaveText([
    "1 Angry",
    "2 Disgust",
    "3 Fear",
    "4 Happy",
    "5 Sad",
    "6 Surprise",
    "7 Neutral",
    "0 Not a face",
  ]);
  // The first face and the buttons are server-rendered; the keys work once the page has hydrated, which
  // currentFace waits for. A key pressed before that is lost.
  let face = await currentFace(page);
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toContainText("Undo the last decision");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);

  const decided = new Map<number, { label: number; blind: boolean; suggested: string | null }>();
  let undone: number | null = null;
  let blindSeen = 0;
  for (let step = 0; decided.size < 20 || blindSeen === 0; step++) {
    expect(step, "no blind item among the first 60 faces").toBeLessThan(60);
    const suggestion = page.getByTestId("suggestion");
    let label: number;
    let suggested: string | null = null;
    if (face.blind) {
      blindSeen++;
      await expect(suggestion).toContainText("Blind item");
      await expect(page.getByTestId("suggestion-top")).toHaveCount(0);
      // Enter has nothing to accept on a blind item: the face stays.
      await page.keyboard.press("Enter");
      await expect(page.getByRole("main").getByRole("alert")).toContainText("Blind item");
      expect((await currentFace(page)).id).toBe(face.id);
      label = 3;
      await page.keyboard.press("4");
    } else {
      suggested = await shownTopLabel(page);
      await expect(page.getByTestId("suggestion-backend")).toHaveText(/^(wasm|webgl|webgpu|cpu)$/);
      await expect(suggestion).toHaveAttribute("data-model-version", String(servingId));
      if (step % 3 === 0) {
        label = EMOTIONS.findIndex((e) => EMOTION_LABELS[e] === suggested);
        await page.keyboard.press("Enter");
      } else {
        label = step === 4 ? -1 : step % 7;
        await page.keyboard.press(label < 0 ? "0" : String(label + 1));
      }
    }
    decided.set(face.id, { label, blind: face.blind, suggested });
    const previous = face.id;
    face = await nextFace(page, previous);

    if (step === 6) {
      // Z brings the last face back; it is labelled again, differently.
      await page.keyboard.press("z");
      await expect(page.getByTestId("label-face")).toHaveAttribute("data-image-id", String(previous));
      decided.delete(previous);
      undone = previous;
      face = await currentFace(page);
      const again = (await page.getByTestId("suggestion-top").count()) > 0 ? await shownTopLabel(page) : null;
      await page.keyboard.press("6");
      decided.set(previous, { label: 5, blind: face.blind, suggested: face.blind ? null : again });
      face = await nextFace(page, previous);
    }
  }
  await expect(page.getByTestId("save-status")).toHaveText("All labels saved", { timeout: 30_000 });
  await expect(page.getByText(`${decided.size} labelled this session`)).toBeVisible();

  // The item pages show what was saved: one label by "you" each, the suggestion that was on screen, blind items without.
  const blindId = [...decided].find(([, d]) => d.blind)![0];
  const suggestedId = [...decided].find(([id, d]) => !d.blind && id !== undone)![0];
  for (const id of [undone!, blindId, suggestedId]) {
    const d = decided.get(id)!;
    await page.goto(`/items/${id}`);
    await expect(page.getByRole("heading", { level: 1, name: `Face ${id}` })).toBeVisible();
    const mine = page.getByRole("region", { name: "Annotations" }).getByRole("row").filter({ hasText: "you" });
    await expect(mine).toHaveCount(1);
    await expect(mine.getByRole("cell").nth(2)).toHaveText(name(d.label));
    await expect(mine.getByRole("cell").nth(3)).toHaveText(/^\d+\.\d s$/);
    await expect(mine.getByRole("cell").nth(4)).toHaveText(
      d.blind ? "none (blind item)" : `${d.suggested} by compact v${servingId}`,
    );
  }
});

test("the item page shows the face, its labels and the serving model's prediction", async ({ page }) => {
  await signUpAnnotator(page, "history");
  const servingId = await ensureServingModel(page);
  await page.goto("/items/1");
  await expect(page.getByRole("heading", { level: 1, name: "Face 1" })).toBeVisible();
  await expect(page.getByRole("img", { name: "Face 1" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Sources" })).toContainText("demo");
  // The demo set's own label is the first annotation.
  await expect(page.getByRole("region", { name: "Annotations" }).getByRole("row").nth(1)).toContainText(
    "demo (dataset)",
  );
  await expect(page.getByRole("img", { name: /^People's labels:/ })).toBeVisible();
  // No stored prediction for this face yet: the serving version computes one in the browser.
  const prediction = page.getByTestId("browser-prediction");
  await expect(prediction).toContainText(`compact v${servingId} · serving · computed in this browser`, {
    timeout: 30_000,
  });
  await expect(prediction.locator("dd.tabular-nums")).toHaveCount(7);

  expect((await page.request.get("/items/abc")).status()).toBe(404);
  expect((await page.request.get("/items/99999999")).status()).toBe(404);
});
