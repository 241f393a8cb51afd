/**
 * Seeded randomness for training. Each epoch gets its own stream derived from (seed, epoch), so a run resumed at
 * epoch k shuffles and augments exactly as the uninterrupted run did, with no generator state to save.
 */

import { mulberry32, type Random } from "../random";

export { mulberry32, type Random };

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
