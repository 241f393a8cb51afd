import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { expect, it } from "vitest";
import { selectBackend } from "../select-backend";
import { loadOnednnAddon } from "./load-onednn-addon";

// A file of its own: once the real addon is loaded its kernels stay registered in the process.
it("falls back to wasm and says why when the addon file is not a loadable library", async () => {
  const broken = path.join(mkdtempSync(path.join(os.tmpdir(), "onednn-")), "faceloop_onednn.node");
  writeFileSync(broken, "not an ELF file");
  expect(loadOnednnAddon(broken)).toMatchObject({ addon: null, reason: expect.stringContaining("did not load") });

  const selected = await selectBackend({ prefer: "onednn", onednnAddonFile: broken, threads: 1 });
  expect(selected.backend).toBe("wasm");
  expect(selected.detail).toMatch(/skipped: onednn: faceloop_onednn.node did not load/);
  expect(tf.getBackend()).toBe("wasm");
  const y = tf.tidy(() =>
    tf.conv2d(tf.ones([1, 4, 4, 2]) as tf.Tensor4D, tf.ones([3, 3, 2, 1]) as tf.Tensor4D, 1, "same"),
  );
  expect(Array.from(y.dataSync()).slice(0, 5)).toEqual([8, 12, 12, 8, 12]);
  y.dispose();
});
