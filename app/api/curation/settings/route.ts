import { readJsonBody, withRole } from "@/app/_lib/auth";
import { saveCurationSettings, ZCurationSettingsInput } from "@/lib/curation/strategy-ranks/curation-settings";
import { isLabelStrategy } from "@/lib/labelling/label-strategies";
import { getServices } from "@/lib/runtime/app-services";

/** Sets the queue's default strategy and the weights of "mix": { defaultStrategy, mix } → 200. */
export const POST = withRole("researcher", async (request, _context, user) => {
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const input = ZCurationSettingsInput.safeParse(read.body);
  if (!input.success) return Response.json({ error: input.error.issues[0].message }, { status: 400 });
  const unknown = [input.data.defaultStrategy, ...Object.keys(input.data.mix)].find((s) => !isLabelStrategy(s));
  if (unknown) return Response.json({ error: `unknown strategy: ${unknown}` }, { status: 400 });
  const { db } = await getServices();
  await saveCurationSettings(db, input.data, user.id);
  return Response.json({ ok: true });
});
