import { z } from "zod";
import { withRole } from "@/app/_lib/auth";
import { getServices } from "@/lib/runtime/app-services";
import { completeUpload } from "@/lib/uploads/complete-upload";
import { parseJsonBody, uploadErrorResponse } from "../_lib/upload-response";

const ZCompleteRequest = z.object({ uploadId: z.string().min(1).max(100) });

/** Checks the uploaded object and stores it as a new training face, or says why not. */
export const POST = withRole("annotator", async (request, _context, user) => {
  const body = await parseJsonBody(request, ZCompleteRequest);
  if ("response" in body) return body.response;
  const { db, store } = await getServices();
  try {
    return Response.json(await completeUpload(db, store, { userId: user.id, uploadId: body.data.uploadId }));
  } catch (error) {
    return uploadErrorResponse(error);
  }
});
