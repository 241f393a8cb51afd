import { describe, expect, it } from "vitest";
import { orderedMap } from "./ordered-map";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("orderedMap", () => {
  it("yields in input order while running up to `concurrency` at once", async () => {
    let running = 0;
    let peak = 0;
    const work = async (n: number) => {
      running++;
      peak = Math.max(peak, running);
      await sleep((5 - n) * 3); // later items finish first
      running--;
      return n * 10;
    };
    const out: number[] = [];
    for await (const value of orderedMap([0, 1, 2, 3, 4], 3, work)) out.push(value);
    expect(out).toEqual([0, 10, 20, 30, 40]);
    expect(peak).toBe(3);
  });

  it("yields everything before a failure, then throws it", async () => {
    const out: number[] = [];
    const work = async (n: number) => {
      if (n === 2) throw new Error("boom");
      return n;
    };
    await expect(
      (async () => {
        for await (const value of orderedMap([0, 1, 2, 3], 4, work)) out.push(value);
      })(),
    ).rejects.toThrow("boom");
    expect(out).toEqual([0, 1]);
  });
});
