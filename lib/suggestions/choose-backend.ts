import * as tf from "@tensorflow/tfjs";
import { FACE_INPUT_SIZE } from "./face-input";
import { createSuggestionModel, type SuggestionModel } from "./suggestion-model";
import type { SuggestionBackend } from "./types";

/**
 * Picks the tfjs backend suggestions run on in this browser: WebGPU (when its package is loaded), WebGL, wasm
 * (SIMD), plain JS cpu as the last resort. WebGL on a software rasterizer (SwiftShader, llvmpipe: headless browsers,
 * machines without a GPU driver) is skipped outright: there it is 20-100x slower than wasm and compiling its shaders
 * alone takes seconds. Otherwise the remaining candidates run the model for real and the fastest wins; the winner is
 * remembered per renderer and model, so the benchmark runs once per browser. A forced backend (tests, `?backend=`) is
 * used as is.
 */
export interface BackendChoice {
  backend: SuggestionBackend;
  /** One line for the page: why this one. */
  reason: string;
  /** The WebGL renderer string, when a WebGL context could be made. */
  renderer: string | null;
}

export interface ChooseBackendOptions {
  force?: SuggestionBackend | null;
  /** Where the wasm binaries are served (setWasmPaths). */
  wasmPath: string;
  /** The model to benchmark with; only awaited when there is more than one candidate. */
  artifacts: () => Promise<tf.io.ModelArtifacts>;
  /** Names what is benchmarked (the model name), so a remembered winner is for the same net. */
  workload: string;
  /** Where the winner is remembered (localStorage); null to always benchmark. */
  memory?: Pick<Storage, "getItem" | "setItem"> | null;
}

const MEMORY_KEY = "faceloop.suggestion-backend";
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

let wasmRegistered: Promise<void> | null = null;

/** Loads the wasm backend's JavaScript and tells it where its binaries are; the binary loads on first use. */
function registerWasm(wasmPath: string): Promise<void> {
  wasmRegistered ??= import("@tensorflow/tfjs-backend-wasm").then((wasm) => {
    wasm.setWasmPaths(wasmPath);
  });
  return wasmRegistered;
}

export async function chooseBackend(options: ChooseBackendOptions): Promise<BackendChoice> {
  await registerWasm(options.wasmPath).catch(() => undefined);
  const renderer = webglRenderer();
  const registered = (["webgpu", "webgl", "wasm", "cpu"] as const).filter(
    (name) => tf.findBackendFactory(name) != null,
  );

  const notes: string[] = [];
  if (options.force) {
    if (registered.includes(options.force) && (await trySetBackend(options.force))) {
      return { backend: options.force, reason: `forced (${options.force})`, renderer };
    }
    notes.push(`forced ${options.force} is unavailable`);
  }

  let candidates: SuggestionBackend[] = registered.filter((name) => name !== "cpu");
  if (renderer === null) {
    candidates = candidates.filter((name) => name !== "webgl");
  } else if (SOFTWARE_RENDERER.test(renderer)) {
    candidates = candidates.filter((name) => name !== "webgl");
    notes.push("WebGL renders in software");
  }

  if (candidates.length > 1) {
    const key = `${renderer ?? "no-webgl"}|${options.workload}`;
    const remembered = readMemory(options.memory, key);
    if (remembered && candidates.includes(remembered) && (await trySetBackend(remembered))) {
      return { backend: remembered, reason: join(notes, `fastest here before (${remembered})`), renderer };
    }
    const timings = await benchmark(candidates, await options.artifacts());
    const ranked = Object.entries(timings).sort((a, b) => a[1] - b[1]);
    for (const [name] of ranked) {
      if (await trySetBackend(name as SuggestionBackend)) {
        options.memory?.setItem(MEMORY_KEY, JSON.stringify({ key, backend: name }));
        const measured = ranked.map(([n, ms]) => `${n} ${ms.toFixed(1)} ms`).join(", ");
        return { backend: name as SuggestionBackend, reason: join(notes, `fastest measured: ${measured}`), renderer };
      }
    }
  }
  for (const name of [...candidates, "cpu" as const]) {
    if (await trySetBackend(name)) {
      const why = name === "cpu" ? "no faster backend could start" : "the fastest available";
      return { backend: name, reason: join(notes, why), renderer };
    }
  }
  throw new Error(`no tfjs backend could start (${notes.join("; ")})`);
}

async function trySetBackend(name: SuggestionBackend): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

/** Median ms per forward pass of one face on each candidate; a candidate that fails is left out. */
async function benchmark(
  candidates: readonly SuggestionBackend[],
  artifacts: tf.io.ModelArtifacts,
): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  for (const name of candidates) {
    if (!(await trySetBackend(name))) continue;
    let model: SuggestionModel | null = null;
    const face = [new Float32Array(FACE_INPUT_SIZE)];
    try {
      model = createSuggestionModel(await tf.loadLayersModel(tf.io.fromMemory(artifacts)), 0);
      const runs: number[] = [];
      for (let i = 0; i < 4; i++) {
        const start = performance.now();
        await model.predict(face);
        if (i > 0) runs.push(performance.now() - start); // the first run compiles / allocates
      }
      timings[name] = runs.sort((a, b) => a - b)[1];
    } catch {
      // leave it out
    } finally {
      model?.dispose();
    }
  }
  return timings;
}

function webglRenderer(): string | null {
  try {
    const canvas = document.createElement("canvas");
    const gl = (canvas.getContext("webgl2") ?? canvas.getContext("webgl")) as WebGLRenderingContext | null;
    if (!gl) return null;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return renderer;
  } catch {
    return null;
  }
}

function readMemory(memory: ChooseBackendOptions["memory"], key: string): SuggestionBackend | null {
  try {
    const saved = JSON.parse(memory?.getItem(MEMORY_KEY) ?? "null") as {
      key?: string;
      backend?: SuggestionBackend;
    } | null;
    return saved?.key === key ? (saved.backend ?? null) : null;
  } catch {
    return null;
  }
}

function join(notes: string[], last: string): string {
  return [...notes, last].join("; ");
}
