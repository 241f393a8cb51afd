import { z } from "zod";
import { withRole } from "@/app/_lib/auth";
import { getServices } from "@/lib/runtime/app-services";
import { createUpload } from "@/lib/uploads/create-upload";
import { parseJsonBody, uploadErrorResponse } from "../_lib/upload-response";

const ZPresignRequest = z.object({
  contentType: z.string().max(200),
  contentLength: z.number().int(),
});

/** Signs one upload of a converted face (image/png, at most 64 KB) for the signed-in annotator. */
export const POST = withRole("annotator", async (request, _context, user) => {
  const body = await parseJsonBody(request, ZPresignRequest);
  if ("response" in body) return body.response;
  const { db, store } = await getServices();
  try {
    const signed = await createUpload(db, store, { userId: user.id, ...body.data });
    return Response.json(signed, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return uploadErrorResponse(error);
  }
});
