import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";

/**
 * The tfjs wasm backend's binaries, served from the installed package so they always match the JavaScript that
 * loads them (the browser calls setWasmPaths("/api/tfjs-wasm/")). Public: library code, no data.
 */
const FILES = new Set([
  "tfjs-backend-wasm.wasm",
  "tfjs-backend-wasm-simd.wasm",
  "tfjs-backend-wasm-threaded-simd.wasm",
]);

export async function GET(_request: Request, context: { params: Promise<{ file: string }> }) {
  const { file } = await context.params;
  if (!FILES.has(file)) return Response.json({ error: `no tfjs wasm file "${file}"` }, { status: 404 });
  const location = path.join(process.cwd(), "node_modules", "@tensorflow", "tfjs-backend-wasm", "dist", file);
  const stat = await fs.promises.stat(location);
  return new Response(Readable.toWeb(fs.createReadStream(location)) as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": "application/wasm",
      "content-length": String(stat.size),
      "cache-control": "public, max-age=86400",
    },
  });
}
