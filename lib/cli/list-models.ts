/**
 * `npm run models`: the model zoo at a glance (parameters, input, forward MFLOPs per image, training preset). Builds
 * each model on the plain cpu backend, which is fast enough for building and needs nothing loaded.
 */
import * as tf from "@tensorflow/tfjs";
import { describePreset, forwardFlops, MODEL_ZOO } from "../models";

async function main(): Promise<void> {
  await tf.setBackend("cpu");
  // Silences tfjs's "install tfjs-node" banner; prod mode only skips debug checks, irrelevant to building models.
  tf.enableProdMode();
  const rows = MODEL_ZOO.map((spec) => {
    const model = spec.build();
    const params = model.countParams();
    const flops = forwardFlops(model);
    model.dispose();
    if (spec.expectedParams !== undefined && params !== spec.expectedParams) {
      throw new Error(`${spec.name}: built ${params} parameters, expected ${spec.expectedParams}`);
    }
    return [
      spec.name,
      params.toLocaleString("en-US"),
      spec.inputShape.join("x"),
      (flops / 1e6).toFixed(1),
      describePreset(spec.preset),
    ];
  });
  printTable(["model", "params", "input", "MFLOP/img", "preset"], rows);
}

function printTable(header: string[], rows: string[][]): void {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c].length)));
  // Numbers right-aligned, text left-aligned.
  const numeric = new Set([1, 3]);
  const line = (row: string[]) =>
    row
      .map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
