import * as tf from "@tensorflow/tfjs";
import { computeArrays } from "./kernel-arrays";

/**
 * MaxPoolGrad for the wasm backend as one JavaScript pass over NHWC with the channel loop innermost; the shipped
 * C++ kernel took ~150 ms for a 2x2 pool of a [64, 48, 48, 32] activation. Ties go to the first maximum in window
 * order, as on the cpu backend.
 */
export const maxPoolGradWasm: tf.KernelConfig = {
  kernelName: "MaxPoolGrad",
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as {
      filterSize: number | [number, number];
      strides: number | [number, number];
      pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
      dimRoundingMode?: "floor" | "round" | "ceil";
    };
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
    const [dx] = computeArrays(backend, [dy, input], [input.shape], ([dxs], [dys, xs]) => {
      dxs.fill(0);
      // Offsets of the window's in-bounds pixels, gathered once per output pixel; channels run innermost.
      const cells = new Int32Array(info.effectiveFilterHeight * info.effectiveFilterWidth);
      let o = 0;
      for (let n = 0; n < batchSize; n++) {
        for (let oh = 0; oh < outHeight; oh++) {
          const h0 = oh * info.strideHeight - info.padInfo.top;
          for (let ow = 0; ow < outWidth; ow++, o += channels) {
            const w0 = ow * info.strideWidth - info.padInfo.left;
            let count = 0;
            for (let fh = 0; fh < info.effectiveFilterHeight; fh += info.dilationHeight) {
              const h = h0 + fh;
              if (h < 0 || h >= inHeight) continue;
              for (let fw = 0; fw < info.effectiveFilterWidth; fw += info.dilationWidth) {
                const w = w0 + fw;
                if (w >= 0 && w < inWidth) cells[count++] = ((n * inHeight + h) * inWidth + w) * channels;
              }
            }
            for (let c = 0; c < channels; c++) {
              let best = -Infinity;
              let where = -1;
              for (let k = 0; k < count; k++) {
                const v = xs[cells[k] + c];
                if (v > best) {
                  best = v;
                  where = cells[k] + c;
                }
              }
              if (where >= 0) dxs[where] += dys[o + c];
            }
          }
        }
      }
    });
    return dx;
  },
};
