import * as tf from "@tensorflow/tfjs";

interface WasmLikeBackend {
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } };
  wasm: { HEAPU8: Uint8Array; wasmMemory?: WebAssembly.Memory };
}

interface CpuLikeBackend {
  data: { get(dataId: tf.DataId): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: "float32", values: Float32Array): tf.TensorInfo;
}

/**
 * Runs a plain loop over float32 tensors of the wasm backend (views on its heap, no copies) or the cpu backend, for
 * memory-bound kernels where one JavaScript pass beats a chain of kernels. Outputs are allocated before the inputs
 * are viewed because an allocation can grow, and so detach, the wasm heap.
 */
export function computeArrays(
  backend: object,
  inputs: tf.TensorInfo[],
  outputShapes: number[][],
  body: (outputs: Float32Array[], inputs: Float32Array[]) => void,
): tf.TensorInfo[] {
  for (const input of inputs) {
    if (input.dtype !== "float32") throw new Error(`expected float32, got ${input.dtype}`);
  }
  if (isWasm(backend)) {
    const outInfos = outputShapes.map((shape) => backend.makeOutput(shape, "float32"));
    // The threaded build's memory is a SharedArrayBuffer that growth replaces without always refreshing HEAPU8.
    const heap = backend.wasm.wasmMemory?.buffer ?? backend.wasm.HEAPU8.buffer;
    const view = (info: tf.TensorInfo) =>
      new Float32Array(heap, backend.dataIdMap.get(info.dataId).memoryOffset, tf.util.sizeFromShape(info.shape));
    body(outInfos.map(view), inputs.map(view));
    return outInfos;
  }
  if (isCpu(backend)) {
    const outs = outputShapes.map((shape) => new Float32Array(tf.util.sizeFromShape(shape)));
    body(
      outs,
      inputs.map((info) => backend.data.get(info.dataId).values as Float32Array),
    );
    return outs.map((values, i) => backend.makeTensorInfo(outputShapes[i], "float32", values));
  }
  throw new Error("computeArrays supports the wasm and cpu backends only");
}

function isWasm(backend: unknown): backend is WasmLikeBackend {
  return (backend as Partial<WasmLikeBackend>).wasm?.HEAPU8 instanceof Uint8Array;
}

function isCpu(backend: unknown): backend is CpuLikeBackend {
  return typeof (backend as CpuLikeBackend).makeTensorInfo === "function" && "data" in (backend as object);
}
