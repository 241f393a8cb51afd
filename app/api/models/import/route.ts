import { authErrorResponse, withRole } from "@/app/_lib/auth";
import { invalidInput } from "@/app/_lib/json-body";
import { importOutsideModel, MAX_IMPORT_BYTES, ZImportOptions } from "@/lib/model-versions/import-outside-model";
import { getServices } from "@/lib/runtime/app-services";

/**
 * Imports an outside tfjs model: multipart form with `files` (model.json and its weight files), `name`,
 * `classOrder`, optional `inputScale` → 201 { modelVersionId, evaluationRunId }. 400 says what
 * is wrong with the files; the trainer evaluates the stored version on the frozen test split.
 */
export const POST = withRole("researcher", async (request, _context: unknown, user) => {
  if (!/^multipart\/form-data\b/i.test(request.headers.get("content-type") ?? "")) {
    return Response.json({ error: "send the files as multipart/form-data" }, { status: 415 });
  }
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_IMPORT_BYTES) {
    return Response.json({ error: `a model may be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB` }, { status: 413 });
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return Response.json({ error: "the form could not be read" }, { status: 400 });
  }
  const options = ZImportOptions.safeParse({
    name: form.get("name") ?? undefined,
    classOrder: form.get("classOrder") ?? undefined,
    inputScale: form.get("inputScale") || undefined,
  });
  if (!options.success) return invalidInput(options.error);
  const files = new Map<string, Uint8Array>();
  let total = 0;
  for (const entry of form.getAll("files")) {
    if (typeof entry === "string") continue;
    total += entry.size;
    if (total > MAX_IMPORT_BYTES) return Response.json({ error: "the model is too large" }, { status: 413 });
    files.set(entry.name, new Uint8Array(await entry.arrayBuffer()));
  }
  if (files.size === 0) return Response.json({ error: "files: upload model.json and its weight files" }, { status: 400 });
  const { db, store } = await getServices();
  try {
    const imported = await importOutsideModel(db, store, files, options.data, user.id);
    return Response.json(
      { modelVersionId: imported.modelVersionId, evaluationRunId: imported.evaluationRunId, format: imported.format },
      { status: 201 },
    );
  } catch (error) {
    return authErrorResponse(error);
  }
});
