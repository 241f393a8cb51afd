/**
 * Seeded randomness for training. Each epoch gets its own stream derived from (seed, epoch), so a run resumed at
 * epoch k shuffles and augments exactly as the uninterrupted run did, with no generator state to save.
 */

export type Random = () => number;

/** mulberry32: small, fast, good enough for shuffles and augmentation draws; floats in [0, 1). */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The stream for one epoch (0-based); a murmur-style mix keeps neighbouring seeds and epochs unrelated. */
export function epochRandom(seed: number, epoch: number): Random {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul((epoch >>> 0) + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return mulberry32(h);
}
