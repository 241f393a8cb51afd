import { withEdgeRole } from "@/app/_lib/edge-auth";
import { MAX_DATABASE_ID, parseDatabaseId } from "@/lib/db/parse-database-id";
import { getModelVersion } from "@/lib/model-versions/get-model-version";
import { isModelFileName } from "@/lib/model-versions/serving-model-ref";
import { ObjectNotFoundError } from "@/lib/storage/object-not-found-error";

type Params = { params: Promise<{ id: string; file: string }> };

// The labelling hot path runs on the edge runtime: Web APIs only (see app/_lib/edge-auth.ts).
export const runtime = "edge";

/**
 * One file of a published model version (model.json or a weight shard), from S3. A version's files never
 * change once published, so browsers keep them for good; the cache is private because the route needs a session.
 */
export const GET = withEdgeRole("annotator", async (_request: Request, context: Params, _user, { db, store }) => {
  const { id, file } = await context.params;
  const versionId = parseDatabaseId(id);
  if (versionId === null) {
    return Response.json(
      { error: `model version id must be a whole number from 1 to ${MAX_DATABASE_ID}` },
      { status: 400 },
    );
  }
  if (!isModelFileName(file)) {
    return Response.json(
      { error: `"${file}" is not a model file (model.json or groupN-shardMofK.bin)` },
      { status: 400 },
    );
  }
  const version = await getModelVersion(db, versionId);
  if (!version) return Response.json({ error: `no model version ${versionId}` }, { status: 404 });
  try {
    // Files are at most one 4 MB shard: reading them whole avoids Node's stream bridge, which throws when a
    // browser drops the connection half way (ERR_INVALID_STATE).
    const body = await store.get(`${version.storagePrefix}${file}`);
    return new Response(new Uint8Array(body), {
      headers: {
        "content-type": file.endsWith(".json") ? "application/json" : "application/octet-stream",
        "cache-control": "private, max-age=31536000, immutable",
      },
    });
  } catch (error) {
    if (error instanceof ObjectNotFoundError) {
      return Response.json({ error: `model version ${versionId} has no file ${file}` }, { status: 404 });
    }
    throw error;
  }
});
