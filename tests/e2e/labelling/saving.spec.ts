import { expect, test } from "@playwright/test";
import { currentFace, ensureServingModel, nextFace, signUpAnnotator } from "./support/e2e-app";

test("labels are saved optimistically: failures are shown, retried with the same id, and survive a reload", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signUpAnnotator(page, "offline");
  await ensureServingModel(page);

  // The server is unreachable for annotations: every POST fails at the network level.
  const attempts = new Map<number, Set<string>>();
  let failing = true;
  await page.route("**/api/label/annotations", async (route) => {
    const request = route.request();
    if (request.method() === "POST") {
      const body = request.postDataJSON() as { imageId: number; clientRequestId: string };
      if (!attempts.has(body.imageId)) attempts.set(body.imageId, new Set());
      attempts.get(body.imageId)!.add(body.clientRequestId);
      if (failing) return route.abort("connectionfailed");
    }
    return route.continue();
  });

  await page.goto("/label?backend=wasm");
  let face = await currentFace(page);
  const labelled: number[] = [];
  for (const key of ["1", "3"]) {
    labelled.push(face.id);
    await page.keyboard.press(key);
    face = await nextFace(page, face.id); // the page moves on at once
  }
  const status = page.getByTestId("save-status");
  await expect(status).toContainText("2 labels waiting to save / retrying");
  await expect(status).toContainText("offline or server unreachable");
  await expect.poll(() => attempts.get(labelled[0])?.size).toBe(1);

  // A reload keeps them: they are in localStorage until acknowledged, and the page goes on trying.
  await page.reload();
  await expect(status).toContainText("2 labels waiting to save");
  await expect(page.getByTestId("label-face")).toBeVisible();
  // The unsaved faces are not served again meanwhile (their leases are still ours).
  expect(labelled).not.toContain((await currentFace(page)).id);

  failing = false;
  await status.getByRole("button", { name: "Retry now" }).click();
  await expect(status).toHaveText("All labels saved", { timeout: 30_000 });
  // Every attempt for a face carried one clientRequestId, so the server saved each label once.
  for (const id of labelled) expect(attempts.get(id)?.size).toBe(1);
  expect(
    await page.evaluate(() =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith("faceloop.outbox"))
        .map((k) => localStorage.getItem(k)),
    ),
  ).toEqual([JSON.stringify({ entries: [], failed: [] })]);
  for (const [id, label] of [
    [labelled[0], "Angry"],
    [labelled[1], "Fear"],
  ] as const) {
    await page.goto(`/items/${id}`);
    const mine = page.getByRole("region", { name: "Annotations" }).getByRole("row").filter({ hasText: "you" });
    await expect(mine).toHaveCount(1);
    await expect(mine).toContainText(label);
  }
});
