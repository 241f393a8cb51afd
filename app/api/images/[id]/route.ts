import { withEdgeRole } from "@/app/_lib/edge-auth";
import { MAX_DATABASE_ID, parseDatabaseId } from "@/lib/db/parse-database-id";
import { encodeFacePng } from "@/lib/images/face-png";
import { readFace } from "@/lib/images/read-face";
import { getImage } from "@/lib/images/get-image";

// The labelling hot path runs on the edge runtime: Web APIs only (see app/_lib/edge-auth.ts).
export const runtime = "edge";

/**
 * One face as a PNG. Faces never change (content-addressed), so browsers may cache them for good; privately, since
 * the route needs a session.
 */
export const GET = withEdgeRole(
  "annotator",
  async (_request: Request, context: { params: Promise<{ id: string }> }, _user, { db, store }) => {
    const { id } = await context.params;
    const imageId = parseDatabaseId(id);
    if (imageId === null) {
      return Response.json({ error: `image id must be a whole number from 1 to ${MAX_DATABASE_ID}` }, { status: 400 });
    }
    const image = await getImage(db, imageId);
    if (!image) return Response.json({ error: `no image ${imageId}` }, { status: 404 });
    const png = encodeFacePng(await readFace(store, image));
    return new Response(new Uint8Array(png), {
      headers: {
        "content-type": "image/png",
        "cache-control": "private, max-age=31536000, immutable",
        etag: `"${image.contentHash}"`,
      },
    });
  },
);
