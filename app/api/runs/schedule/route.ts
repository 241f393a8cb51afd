import { withRole } from "@/app/_lib/auth";
import { parseJsonBody } from "@/app/_lib/json-body";
import { loadEnv } from "@/lib/config/env";
import { defaultRetrainSettings, getRetrainSettings, saveRetrainSettings, ZRetrainSettings } from "@/lib/runs/retrain-settings";
import { getServices } from "@/lib/runtime/app-services";

/** Changes the retrain schedule (admins): the full settings → 200 { schedule }; the change goes to the audit log. */
export const PUT = withRole("admin", async (request, _context: unknown, admin) => {
  const input = await parseJsonBody(request, ZRetrainSettings);
  if ("response" in input) return input.response;
  const { db } = await getServices();
  const defaults = defaultRetrainSettings(loadEnv());
  await saveRetrainSettings(db, input.data, admin.id, defaults);
  return Response.json({ schedule: await getRetrainSettings(db, defaults) });
});
