import { availableParallelism } from "node:os";
import { createRequire } from "node:module";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { installFastBatchNorm } from "./install-fast-batch-norm";
import { installReluGradient } from "./relu-gradient";
import { installFastSwish } from "./swish";
import { installLazyConvGradient } from "./install-lazy-conv-gradient";
import { registerWasmTrainingKernels } from "./register-wasm-training-kernels";
import { loadOnednnAddon } from "./native/load-onednn-addon";
import { describeOnednn, registerOnednnKernels, unregisterOnednnKernels } from "./native/onednn-kernels";
import { registerThreadedWasmBackend } from "./threaded-wasm-backend";

/** `onednn`: the wasm backend with its convolutions, pooling, batch norm and matmul run by the native oneDNN addon. */
export type BackendName = "tensorflow" | "onednn" | "wasm" | "cpu";

export interface SelectBackendOptions {
  /** Tried first; the others follow in the usual order (tensorflow, wasm, cpu). */
  prefer?: BackendName;
  /** Threads for the wasm backend (default: every core). More than 1 starts tfjs' threaded build on worker_threads. */
  threads?: number;
  /** The oneDNN addon's file (default: its build folder); tests point it at a missing file for the fallback. */
  onednnAddonFile?: string;
}

export interface SelectedBackend {
  backend: BackendName;
  threads: number;
  /** One line for logs: which package or binary runs and why the better ones did not. */
  detail: string;
}

const ORDER: BackendName[] = ["tensorflow", "onednn", "wasm", "cpu"];

/**
 * Picks the fastest tfjs backend this process can load: native TensorFlow (tfjs-node-gpu, then tfjs-node; optional
 * packages that are often absent), then wasm with oneDNN's native kernels (lib/tf/native, a built addon and libdnnl),
 * then wasm with the gradient kernels it lacks, then the plain JS cpu backend.
 * For process entry points only; libraries take whatever backend is set.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<SelectedBackend> {
  const order = options.prefer ? [options.prefer, ...ORDER.filter((name) => name !== options.prefer)] : ORDER;
  const failures: string[] = [];
  for (const name of order) {
    const result = await TRY[name](options, failures);
    if (result) {
      installFastBatchNorm();
      installReluGradient();
      installFastSwish();
      installLazyConvGradient();
      const skipped = failures.length > 0 ? ` (skipped: ${failures.join("; ")})` : "";
      return { ...result, detail: result.detail + skipped };
    }
  }
  throw new Error(`no tfjs backend could start: ${failures.join("; ")}`);
}

type Attempt = (options: SelectBackendOptions, failures: string[]) => Promise<SelectedBackend | null>;

const TRY: Record<BackendName, Attempt> = {
  async tensorflow(_options, failures) {
    for (const pkg of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
      try {
        // A variable specifier keeps TypeScript and bundlers from requiring the optional package.
        const specifier: string = pkg;
        await import(specifier);
      } catch (error) {
        failures.push(`${pkg}: ${firstLine(error)}`);
        continue;
      }
      if (await tf.setBackend("tensorflow")) {
        return { backend: "tensorflow", threads: availableParallelism(), detail: `${pkg} (libtensorflow thread pool)` };
      }
      failures.push(`${pkg}: loaded but the tensorflow backend did not start`);
    }
    return null;
  },

  async onednn(options, failures) {
    const loaded = loadOnednnAddon(options.onednnAddonFile, options.threads);
    if (loaded.addon == null) {
      failures.push(`onednn: ${loaded.reason}`);
      return null;
    }
    unregisterOnednnKernels(); // a clean slate: startWasm wraps the kernels registered before it
    const wasm = await startWasm(options, failures);
    if (wasm == null) return null;
    try {
      const kernels = registerOnednnKernels(loaded.addon);
      const { info, implementations } = describeOnednn(loaded.addon);
      return {
        backend: "onednn",
        threads: info.threads,
        detail:
          `oneDNN ${info.version} (${info.threads} OpenMP threads) on the wasm heap; native kernels: ${kernels.join(", ")}; ` +
          `oneDNN picked ${implementations}; other kernels on ${wasm.detail}`,
      };
    } catch (error) {
      failures.push(`onednn: ${firstLine(error)}`);
      return null;
    }
  },

  async wasm(options, failures) {
    unregisterOnednnKernels();
    return startWasm(options, failures);
  },

  async cpu(_options, failures) {
    if (!(await tf.setBackend("cpu"))) {
      failures.push("cpu: setBackend('cpu') returned false");
      return null;
    }
    return { backend: "cpu", threads: 1, detail: "tfjs-backend-cpu (plain JavaScript, for tests only)" };
  },
};

async function startWasm(options: SelectBackendOptions, failures: string[]): Promise<SelectedBackend | null> {
  try {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    if (tf.engine().registry["wasm"] == null) {
      // Node resolves the wasm binaries from its own folder only when told: emscripten reads the paths with fs.
      wasm.setWasmPaths(wasmDistFolder());
      const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
      if (threads > 1) registerThreadedWasmBackend(wasm, threads);
    }
    if (!(await tf.setBackend("wasm"))) throw new Error("setBackend('wasm') returned false");
    const kernels = registerWasmTrainingKernels();
    const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    const threads = wasm.getThreadsCount();
    return {
      backend: "wasm",
      threads,
      detail:
        `tfjs-backend-wasm ${wasm.version_wasm}${simd ? " SIMD" : ""}, ${threads} thread(s)` +
        `${threads > 1 ? " on worker_threads" : ""}; lib/tf kernels: ${kernels.join(", ")}`,
    };
  } catch (error) {
    failures.push(`wasm: ${firstLine(error)}`);
    return null;
  }
}

function wasmDistFolder(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + path.sep;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0];
}
