import { makeZip } from "client-zip";
import { withRole } from "@/app/_lib/auth";
import { badId, parsePositiveId } from "@/app/_lib/positive-id";
import { getModelVersion } from "@/lib/model-versions/get-model-version";
import { isModelFileName } from "@/lib/model-versions/serving-model-ref";
import { getServices } from "@/lib/runtime/app-services";

export const dynamic = "force-dynamic";

/** A version's tfjs files (model.json and weight shards) as one zip, streamed a file at a time. */
export const GET = withRole("researcher", async (_request, context: { params: Promise<{ id: string }> }) => {
  const id = parsePositiveId((await context.params).id);
  if (id === null) return badId("model version");
  const { db, store } = await getServices();
  const version = await getModelVersion(db, id);
  if (!version) return Response.json({ error: `no model version ${id}` }, { status: 404 });
  const keys: string[] = [];
  for await (const object of store.list(version.storagePrefix)) {
    if (isModelFileName(object.key.slice(version.storagePrefix.length))) keys.push(object.key);
  }
  const folder = `${version.modelName}-v${version.id}`;
  async function* entries() {
    for (const key of keys) {
      yield { name: `${folder}/${key.slice(version!.storagePrefix.length)}`, input: await store.get(key) };
    }
  }
  return new Response(makeZip(entries()), {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${folder}.zip"`,
      "cache-control": "private, no-store",
    },
  });
});
