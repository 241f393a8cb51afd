/**
 * `npm run build:native [-- --strict] [-- --force]` (also run by npm install): builds the oneDNN addon with node-gyp
 * against this Node's own headers, offline. Without libdnnl-dev it says so and exits 0 (the trainer then falls back to
 * wasm and prints why) unless --strict, which CI passes. Skips the build when the addon is newer than its sources.
 */
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const strict = process.argv.includes("--strict");
const force = process.argv.includes("--force");
const output = path.join(here, "build", "Release", "faceloop_onednn.node");
const sources = [path.join(here, "binding.gyp"), path.join(here, "src", "onednn-addon.cc")];

function give(reason) {
  console.error(`oneDNN addon not built: ${reason}`);
  console.error("The trainer will run on wasm. To build it: apt-get install libdnnl-dev && npm run build:native");
  process.exit(strict ? 1 : 0);
}

if (!force && existsSync(output) && sources.every((file) => statSync(file).mtimeMs < statSync(output).mtimeMs)) {
  console.log(`oneDNN addon up to date: ${path.relative(process.cwd(), output)}`);
  process.exit(0);
}
if (!existsSync("/usr/include/oneapi/dnnl/dnnl.hpp")) give("libdnnl-dev is not installed");

// Node's headers ship beside the binary (/usr/include/node for /usr/bin/node); node-gyp would otherwise download them.
const prefix = path.dirname(path.dirname(process.execPath));
const nodedir = existsSync(path.join(prefix, "include", "node", "node_api.h")) ? [`--nodedir=${prefix}`] : [];
const nodeGyp =
  process.env.npm_config_node_gyp ??
  path.join(prefix, "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js");
if (!existsSync(nodeGyp)) give(`node-gyp not found at ${nodeGyp}`);

const result = spawnSync(process.execPath, [nodeGyp, "rebuild", ...nodedir], { cwd: here, stdio: "inherit" });
if (result.status !== 0) give(`node-gyp exited with ${result.status}`);
console.log(`oneDNN addon built: ${path.relative(process.cwd(), output)}`);
