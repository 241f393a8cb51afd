export { parseJsonBody } from "@/app/_lib/json-body";
import { UploadError } from "@/lib/uploads/upload-error";

/** An UploadError as its JSON answer; anything else is ours and propagates (a 500). */
export function uploadErrorResponse(error: unknown): Response {
  if (error instanceof UploadError) return Response.json({ error: error.message }, { status: error.status });
  throw error;
}
