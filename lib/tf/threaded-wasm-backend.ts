import { rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import type * as WasmPackage from "@tensorflow/tfjs-backend-wasm";

interface EmscriptenModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
  PThread: { runningWorkers: Array<{ unref(): void }>; unusedWorkers: Array<{ unref(): void }> };
  tfjs?: Record<string, unknown>;
}
type EmscriptenFactory = (config: object) => Promise<EmscriptenModule>;

const require = createRequire(import.meta.url);

/**
 * Re-registers the 'wasm' backend so that it starts tfjs' multi-threaded SIMD build on Node worker_threads.
 * tfjs itself never does in Node: it hands emscripten a blob: URL for the pthread worker (Node's Worker needs a
 * file) and its C++ side caps threads at os.cpus().length / 2. Here the worker script goes to a temporary file,
 * the core count is doubled while the module starts, and the idle pthread workers are unref'd so the process can
 * exit. Must run before the wasm backend is first initialised; kernels registered for 'wasm' apply unchanged.
 * If the threaded build fails to start, the factory falls back to tfjs' own single-threaded one.
 */
export function registerThreadedWasmBackend(wasm: typeof WasmPackage, threads: number): void {
  if (tf.engine().registry["wasm"] != null) throw new Error("the wasm backend is already initialised");
  const root = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json"));
  const factory = require(path.join(root, "wasm-out/tfjs-backend-wasm-threaded-simd.js")) as EmscriptenFactory;
  const { wasmWorkerContents } = require(path.join(root, "wasm-out/tfjs-backend-wasm-threaded-simd.worker.js")) as {
    wasmWorkerContents: string;
  };

  const singleThreaded = tf.findBackendFactory("wasm");
  tf.removeBackend("wasm");
  tf.registerBackend(
    "wasm",
    async () => {
      try {
        return await startThreaded(wasm, factory, wasmWorkerContents, root, threads);
      } catch (error) {
        console.warn(`threaded wasm failed to start, running single-threaded: ${String(error)}`);
        return singleThreaded();
      }
    },
    2,
  );
}

async function startThreaded(
  wasm: typeof WasmPackage,
  factory: EmscriptenFactory,
  wasmWorkerContents: string,
  root: string,
  threads: number,
): Promise<tf.KernelBackend> {
  const workerFile = path.join(os.tmpdir(), `faceloop-tfjs-pthread-${process.pid}.cjs`);
  // The contents come from a template literal, so its "\n" escapes arrived as real line breaks.
  writeFileSync(workerFile, wasmWorkerContents.replace(/\n/g, "\\n"));
  // The module resolves once its pool of 8 workers (the most threads tfjs uses) has loaded, so the file can go.
  const module = await withReportedCpus(2 * threads, () =>
    factory({
      locateFile: (file: string, prefix: string) =>
        file.endsWith(".worker.js")
          ? workerFile
          : file.endsWith(".wasm")
            ? path.join(root, "dist", "tfjs-backend-wasm-threaded-simd.wasm")
            : prefix + file,
      mainScriptUrlOrBlob: path.join(root, "wasm-out/tfjs-backend-wasm-threaded-simd.js"),
    }),
  ).finally(() => rmSync(workerFile, { force: true }));
  // The same bindings tfjs' own init() adds.
  module.tfjs = {
    init: module.cwrap("init", null, []),
    initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
    getThreadsCount: module.cwrap("get_threads_count", "number", []),
    registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
    disposeData: module.cwrap("dispose_data", null, ["number"]),
    dispose: module.cwrap("dispose", null, []),
  };
  wasm.setThreadsCount(threads);
  const backend = new wasm.BackendWasm(module as unknown as ConstructorParameters<typeof wasm.BackendWasm>[0]);
  for (const worker of [...module.PThread.runningWorkers, ...module.PThread.unusedWorkers]) worker.unref();
  return backend;
}

async function withReportedCpus<T>(count: number, start: () => Promise<T>): Promise<T> {
  const realCpus = os.cpus;
  os.cpus = () => {
    const cpus = realCpus();
    return Array.from({ length: Math.max(count, cpus.length) }, (_, i) => cpus[i % cpus.length]);
  };
  try {
    return await start();
  } finally {
    os.cpus = realCpus;
  }
}
