import { parseByteRange } from "./byte-range";
import type { Snapshot } from "./list-snapshots";
import { downloadFileName, isSnapshotFileName, SNAPSHOT_FILES } from "./snapshot-file-names";
import type { ObjectStore } from "../storage/object-store";
import { streamObjectRange } from "./stream-object-range";

/** How long a presigned S3 link for a large download stays valid. */
const DIRECT_LINK_SECONDS = 3600;

/**
 * The HTTP answer for one snapshot file. By default a redirect to a presigned S3 GET of the file's object: the bytes
 * never pass through the web process, and S3 answers with Content-Length, ETag, Accept-Ranges and 206 to Range, so
 * an interrupted download resumes where it stopped. `?via=app` streams it through here instead (4 MiB Range reads
 * from S3), with a strong ETag (the file's SHA-256), Accept-Ranges and 206 answers to a single Range (honouring
 * If-Range); Next.js 16 drops Content-Length from route handler answers (send-response.js), so there a 200 is
 * chunked while a 206 still states the total in Content-Range. Plain web Request/Response: route handlers only check
 * who may ask.
 */
export async function snapshotFileResponse(
  request: Request,
  snapshot: Snapshot,
  fileName: string,
  store: ObjectStore,
): Promise<Response> {
  if (!isSnapshotFileName(fileName)) {
    const names = Object.keys(SNAPSHOT_FILES).join(", ");
    return Response.json({ error: `"${fileName}" is not a snapshot file (${names})` }, { status: 404 });
  }
  const file = snapshot.files.find((f) => f.name === fileName);
  if (!file) return Response.json({ error: `snapshot v${snapshot.version} has no ${fileName}` }, { status: 404 });
  if (file.status !== "ready" || file.sizeBytes === null || file.sha256 === null) {
    const state =
      file.status === "failed" ? `failed: ${file.error}` : `${file.status}, ${Math.round(file.progress * 100)} % done`;
    return Response.json(
      { error: `${fileName} of snapshot v${snapshot.version} is not ready (${state})` },
      { status: 409, headers: { "retry-after": "5" } },
    );
  }
  const etag = `"${file.sha256}"`;
  const headers: Record<string, string> = {
    "content-type": SNAPSHOT_FILES[file.name].contentType,
    "content-disposition": `attachment; filename="${downloadFileName(snapshot.version, file.name)}"`,
    "accept-ranges": "bytes",
    etag,
    // A snapshot file never changes; private because most need a session. no-transform: a compressing server or
    // proxy (Next.js gzips text by default) would drop Content-Length and break byte ranges and the SHA-256.
    "cache-control": "private, max-age=31536000, immutable, no-transform",
  };
  if (new URL(request.url).searchParams.get("via") !== "app") {
    const downloadName = downloadFileName(snapshot.version, file.name);
    const location = await store.presignGet(file.storageKey, DIRECT_LINK_SECONDS, { downloadName });
    return new Response(null, { status: 302, headers: { location, "cache-control": "no-store" } });
  }
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });

  const size = file.sizeBytes;
  const ifRange = request.headers.get("if-range");
  const range = ifRange && ifRange !== etag ? null : parseByteRange(request.headers.get("range"), size);
  if (range === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${size}` } });
  }
  if (request.method === "HEAD") {
    return new Response(null, { status: 200, headers: { ...headers, "content-length": String(size) } });
  }
  if (range) {
    const body = size === 0 ? null : streamObjectRange(store, file.storageKey, range.start, range.end);
    return new Response(body, {
      status: 206,
      headers: {
        ...headers,
        "content-length": String(range.end - range.start + 1),
        "content-range": `bytes ${range.start}-${range.end}/${size}`,
      },
    });
  }
  const body = size === 0 ? null : streamObjectRange(store, file.storageKey, 0, size - 1);
  return new Response(body, { status: 200, headers: { ...headers, "content-length": String(size) } });
}
