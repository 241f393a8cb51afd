import { expect, test } from "@playwright/test";
import { currentFace, ensureServingModel, nextFace, signUpAnnotator } from "./support/e2e-app";

/**
 * A blind item is blind in the page and on the wire: the server decides it when it serves the item, and sends no
 * original label, votes or other people's labels with it, and the page shows no suggestion, until the annotator has
 * decided. (Sign-up by API; LABEL_BLIND_SHARE is 0.25 in the e2e app.)
 */
test("a blind card's page holds no suggestion, no original label, no votes and no other labels", async ({ page }) => {
  test.setTimeout(120_000);
  await signUpAnnotator(page, "blind");
  await ensureServingModel(page);
  const served = new Map<number, { blind: boolean; labels: unknown }>();
  page.on("response", async (response) => {
    if (!response.url().includes("/api/label/next") || !response.ok()) return;
    // A prefetch still in flight when the test ends has no body left to read; a face whose response was lost
    // mid-test fails the poll below instead.
    const body = (await response.json().catch(() => null)) as {
      items: { imageId: number; blind: boolean; labels: unknown }[];
    } | null;
    if (!body) return;
    for (const item of body.items) served.set(item.imageId, { blind: item.blind, labels: item.labels });
  });
  // The random queue: test faces (always blind in the e2e app, LABEL_TEST_FACES=blind) are what the unreviewed queue
  // has left once the other specs have labelled the rest, and an open face is needed here too.
  const document = await page.goto("/label?strategy=random");
  // The first faces are claimed while the server renders the page and arrive inside it (React's flight data), not
  // from /api/label/next: read each one's imageId, blind and labels there, in the order the server wrote them.
  const flight = [...(await document!.text()).matchAll(/self\.__next_f\.push\(\[1,"((?:[^"\\]|\\.)*)"\]\)/g)]
    .map((m) => JSON.parse(`"${m[1]}"`) as string)
    .join("");
  for (const item of flight.split('"imageId":').slice(1)) {
    const id = Number(/^\d+/.exec(item)![0]);
    const blind = /"blind":(true|false)/.exec(item)![1] === "true";
    const labels = /"labels":(null|\{)/.exec(item)![1] === "null" ? null : {};
    if (!served.has(id)) served.set(id, { blind, labels });
  }
  expect(served.size, "the page arrives with its first faces").toBeGreaterThan(0);
  let face = await currentFace(page);
  let blindSeen = 0;
  let openSeen = 0;
  for (let step = 0; blindSeen < 2 || openSeen < 1; step++) {
    expect(step, "no blind item among the first 40 faces").toBeLessThan(40);
    await expect.poll(() => served.has(face.id)).toBe(true);
    const wire = served.get(face.id)!;
    expect(wire.blind).toBe(face.blind);
    if (face.blind) {
      blindSeen++;
      expect(wire.labels).toBeNull();
      await expect(page.getByTestId("suggestion")).toContainText("Blind item");
      await expect(page.getByTestId("suggestion-top")).toHaveCount(0);
      await expect(page.getByRole("region", { name: "Current labels" })).toHaveCount(0);
      const text = await page.locator("main").innerText();
      expect(text).not.toMatch(/Original label|FER\+ votes|Other annotators/);
      // Nothing of it hides in the DOM either (hidden elements, attributes).
      const html = await page.locator("main").innerHTML();
      expect(html).not.toMatch(/Original label|FER\+ votes|Other annotators|suggestion-top/);
    } else {
      openSeen++;
      expect(wire.labels).not.toBeNull();
      await expect(page.getByRole("region", { name: "Current labels" })).toContainText("Original label");
    }
    await page.keyboard.press("7");
    face = await nextFace(page, face.id);
  }
});
