import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ConfusionMatrix } from "./confusion-matrix";
import { TrainingCurve } from "./training-curve";

describe("run charts", () => {
  it("draws train and val accuracy per epoch and labels the last values", () => {
    const html = renderToStaticMarkup(
      <TrainingCurve
        points={[
          { epoch: 1, trainAccuracy: 0.3, valAccuracy: 0.25 },
          { epoch: 2, trainAccuracy: 0.5, valAccuracy: null },
          { epoch: 3, trainAccuracy: 0.6, valAccuracy: 0.57 },
        ]}
      />,
    );
    const lines = [...html.matchAll(/<polyline points="([^"]*)"/g)].map((m) => m[1].split(" ").length);
    expect(lines).toEqual([3, 2]); // the epoch without validation is left out of the val line
    expect(html).toContain("val 57.0%");
    expect(html).toContain("train 60.0%");
  });

  it("shows each confusion count, shaded by its share of the true class", () => {
    const matrix = Array.from({ length: 7 }, (_, i) =>
      Array.from({ length: 7 }, (_, j) => (i === j ? 8 : j === 0 ? 2 : 0)),
    );
    const html = renderToStaticMarkup(<ConfusionMatrix matrix={matrix} />);
    expect(html.match(/<td/g)).toHaveLength(49);
    expect(html).toContain('title="8 of 10"');
    expect(html).toContain("rgba(14, 165, 233, 0.800)");
  });
});
