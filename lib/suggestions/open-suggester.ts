import * as tf from "@tensorflow/tfjs";
// Registers the custom layer some zoo models contain, so any served version deserializes.
import "../models/normalization-layer";
import type { ServingModelRef } from "../model-versions/serving-model-ref";
import { type BackendChoice, chooseBackend } from "./choose-backend";
import type { FetchedModelFiles } from "./fetch-model-files";
import { loadModelArtifacts, type ModelSource } from "./model-cache";
import { createSuggestionModel } from "./suggestion-model";
import { topK } from "./top-k";
import type { Suggestion, SuggestionBackend } from "./types";

/** A serving model version ready to suggest labels in this browser. */
export interface Suggester {
  readonly model: ServingModelRef;
  readonly backend: SuggestionBackend;
  readonly backendReason: string;
  readonly loadedFrom: ModelSource;
  /** Batch norm folded into fused conv+ReLU ops (plain-chain nets such as the compact one). */
  readonly fused: boolean;
  /** From asking to the first suggestion being possible (files, backend, warm-up). */
  readonly loadMs: number;
  /** Top-k classes for each face, in one forward pass; msPerFace is the pass's time divided by the faces. */
  suggest(faces: readonly Float32Array[], k?: number): Promise<{ suggestions: Suggestion[]; msPerFace: number }>;
  dispose(): void;
}

export interface OpenSuggesterOptions {
  force?: SuggestionBackend | null;
  wasmPath?: string;
  memory?: Pick<Storage, "getItem" | "setItem"> | null;
  /** The version's files, when their download was started before tfjs loaded (used unless IndexedDB has them). */
  prefetched?: Promise<FetchedModelFiles>;
}

// One backend per page: chosen with the first model, kept for later versions.
let backendChoice: Promise<BackendChoice> | null = null;

export async function openSuggester(ref: ServingModelRef, options: OpenSuggesterOptions = {}): Promise<Suggester> {
  const start = performance.now();
  const files = loadModelArtifacts(ref, options.prefetched);
  files.catch(() => undefined); // awaited below; keeps an early failure from being reported as unhandled
  backendChoice ??= chooseBackend({
    force: options.force,
    wasmPath: options.wasmPath ?? "/api/tfjs-wasm/",
    artifacts: async () => (await files).artifacts,
    workload: ref.modelName,
    memory: options.memory,
  }).catch((error: unknown) => {
    backendChoice = null;
    throw error;
  });
  const choice = await backendChoice;
  const { artifacts, source } = await files;
  const model = createSuggestionModel(await tf.loadLayersModel(tf.io.fromMemory(artifacts)), ref.id);
  await model.predict([new Float32Array(2304)]); // compiles kernels / allocates once, off the critical path
  const loadMs = performance.now() - start;

  return {
    model: ref,
    backend: choice.backend,
    backendReason: choice.reason,
    loadedFrom: source,
    fused: model.fused,
    loadMs,
    async suggest(faces, k = 3) {
      const began = performance.now();
      const rows = await model.predict(faces);
      const msPerFace = faces.length > 0 ? (performance.now() - began) / faces.length : 0;
      return { suggestions: rows.map((row) => ({ modelVersionId: ref.id, top: topK(row, k) })), msPerFace };
    },
    dispose: () => model.dispose(),
  };
}
