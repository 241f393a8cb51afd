import * as tf from "@tensorflow/tfjs";
import { INPUT_SHAPE } from "../models/constants";
import { FACE_INPUT_SIZE } from "./face-input";
import { compileFusedPredictor } from "./fused-predictor";

/** A loaded model version that turns faces into class probabilities, on whatever tfjs backend is set. */
export interface SuggestionModel {
  readonly modelVersionId: number;
  /** Runs as fused ops (batch norm folded into the convolutions), not through model.predict. */
  readonly fused: boolean;
  /** Canonical-order probabilities for each face (inputs from `rgbaToFaceInput`), in one forward pass. */
  predict(faces: readonly Float32Array[]): Promise<Float32Array[]>;
  dispose(): void;
}

/** Takes ownership of `model`. `fuse: false` keeps model.predict (to compare the two). */
export function createSuggestionModel(
  model: tf.LayersModel,
  modelVersionId: number,
  options: { fuse?: boolean } = {},
): SuggestionModel {
  const fused = options.fuse === false ? null : compileFusedPredictor(model);
  if (fused) model.dispose(); // the fused ops hold their own (folded) weights
  let disposed = false;
  return {
    modelVersionId,
    fused: fused !== null,
    async predict(faces) {
      if (disposed) throw new Error(`model version ${modelVersionId} was disposed`);
      if (faces.length === 0) return [];
      const batch = new Float32Array(faces.length * FACE_INPUT_SIZE);
      faces.forEach((face, i) => {
        if (face.length !== FACE_INPUT_SIZE)
          throw new Error(`a face input has ${FACE_INPUT_SIZE} values, got ${face.length}`);
        batch.set(face, i * FACE_INPUT_SIZE);
      });
      const output = tf.tidy(() => {
        const x = tf.tensor4d(batch, [faces.length, ...INPUT_SHAPE]);
        return fused ? fused.predict(x) : (model.predict(x) as tf.Tensor);
      });
      try {
        const values = await output.data<"float32">();
        const classes = output.shape[1] ?? 0;
        return faces.map((_, i) => Float32Array.from(values.subarray(i * classes, (i + 1) * classes)));
      } finally {
        output.dispose();
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      if (fused) fused.dispose();
      else model.dispose();
    },
  };
}
