import { mulberry32 } from "../../random";
import type { SamplingStrategy } from "./sampling-strategy";

/** A seeded uniform shuffle: the control every other strategy is compared with. */
export const randomSample: SamplingStrategy = {
  name: "random",
  description: "a uniform random sample",
  evidence: "none",
  rank(faces, options = {}) {
    const random = mulberry32(options.seed ?? 1);
    const order = faces.map((f) => f.imageId);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order.map((imageId, i) => ({ imageId, score: order.length - i }));
  },
};
