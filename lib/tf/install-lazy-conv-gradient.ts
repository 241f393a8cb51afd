import * as tf from "@tensorflow/tfjs";

type FusedConv2d = typeof tf.fused.conv2d;
type FusedConv2dArgs = Parameters<FusedConv2d>[0];

const ORIGINAL = Symbol.for("faceloop.lazyConvGradient.original");
const fused = tf.fused as unknown as Record<PropertyKey, unknown> & { conv2d: FusedConv2d };

/**
 * While gradients are recorded, runs tf.fused.conv2d with a linear activation (what tf.layers.conv2d calls) as
 * conv2d + bias add. tfjs' fused op returns its gradients eagerly, so it always computes the input gradient, even
 * for the first layer where nothing uses it: for a 1-channel image that is a convolution with a single output
 * channel, XNNPACK's worst case (a ResNet stem's 7x7/2 took as long as the rest of the small net's input gradients).
 * The plain conv2d's gradient is lazy. Inference keeps the fused op. Process-wide; called through selectBackend.
 */
export function installLazyConvGradient(): void {
  if (fused[ORIGINAL]) return;
  const original = fused.conv2d;
  const lazy = (args: FusedConv2dArgs) => {
    const linear = args.activation == null || args.activation === "linear";
    const nhwc = args.dataFormat == null || args.dataFormat === "NHWC";
    if (tf.engine().state.gradientDepth === 0 || !linear || !nhwc) return original(args);
    return tf.tidy(() => {
      const y = tf.conv2d(args.x, args.filter, args.strides, args.pad, "NHWC", args.dilations, args.dimRoundingMode);
      return args.bias == null ? y : tf.add(y, args.bias);
    });
  };
  fused.conv2d = lazy as FusedConv2d;
  fused[ORIGINAL] = original;
}

export function uninstallLazyConvGradient(): void {
  if (!fused[ORIGINAL]) return;
  fused.conv2d = fused[ORIGINAL] as FusedConv2d;
  delete fused[ORIGINAL];
}
