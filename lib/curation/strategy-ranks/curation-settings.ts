import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../../db/client";
import { queryRows } from "../../db/query-rows";

/** The project's queue defaults: the strategy annotators get unless they pick one, and the weights of "mix". */
export interface CurationSettings {
  defaultStrategy: string;
  mix: Record<string, number>;
  updatedAt: Date | null;
}

export const DEFAULT_MIX: Record<string, number> = {
  "suspected-mislabel": 3,
  "smallest-margin-diverse": 2,
  "smallest-margin-balanced": 1,
  random: 1,
};

export const ZCurationSettingsInput = z.object({
  defaultStrategy: z.string().min(1).max(64),
  mix: z.record(z.string().min(1).max(64), z.number().min(0).max(100)),
});

export async function getCurationSettings(db: Database): Promise<CurationSettings> {
  const [row] = await queryRows<{ default_strategy: string; mix: Record<string, number>; updated_at: string }>(
    db,
    sql`select default_strategy, mix, updated_at from curation_settings where id = 1`,
  );
  if (!row) return { defaultStrategy: "unreviewed", mix: DEFAULT_MIX, updatedAt: null };
  const mix = row.mix && Object.keys(row.mix).length > 0 ? row.mix : DEFAULT_MIX;
  return { defaultStrategy: row.default_strategy, mix, updatedAt: new Date(row.updated_at) };
}

/** Stores the defaults (researchers and admins; the caller checks the role and the strategy names). */
export async function saveCurationSettings(
  db: Database,
  input: z.infer<typeof ZCurationSettingsInput>,
  userId: string | null,
): Promise<void> {
  await db.execute(sql`
    insert into curation_settings (id, default_strategy, mix, updated_by, updated_at)
    values (1, ${input.defaultStrategy}, ${JSON.stringify(input.mix)}::jsonb, ${userId}::uuid, now())
    on conflict (id) do update set default_strategy = excluded.default_strategy, mix = excluded.mix,
      updated_by = excluded.updated_by, updated_at = excluded.updated_at`);
}
