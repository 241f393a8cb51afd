import type * as tf from "@tensorflow/tfjs";

/**
 * A model version's files fetched with plain `fetch`, without loading tfjs: the labelling page starts this the
 * moment it knows the serving version, so the download runs while the tfjs code itself is still loading. Same-origin
 * requests carry the session cookie the files route asks for; the route's immutable caching lets the browser
 * answer repeat visits from its HTTP cache.
 */
export interface FetchedModelFiles {
  modelJson: tf.io.ModelJSON;
  /** All weight shards, concatenated in manifest order. */
  weights: ArrayBuffer;
}

export async function fetchModelFiles(modelJsonUrl: string): Promise<FetchedModelFiles> {
  const modelJson = (await fetchOk(modelJsonUrl).then((r) => r.json())) as tf.io.ModelJSON;
  const base = modelJsonUrl.slice(0, modelJsonUrl.lastIndexOf("/") + 1);
  const paths = (modelJson.weightsManifest ?? []).flatMap((group) => group.paths);
  const shards = await Promise.all(paths.map((file) => fetchOk(`${base}${file}`).then((r) => r.arrayBuffer())));
  const weights = new Uint8Array(shards.reduce((n, s) => n + s.byteLength, 0));
  let offset = 0;
  for (const shard of shards) {
    weights.set(new Uint8Array(shard), offset);
    offset += shard.byteLength;
  }
  return { modelJson, weights: weights.buffer };
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  return response;
}
