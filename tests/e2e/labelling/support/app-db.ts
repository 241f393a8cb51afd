/**
 * Reads the running e2e app's database with plain SQL (independent of the code under test) and prints JSON.
 * `npx tsx tests/e2e/labelling/support/app-db.ts <query> <userId>` with DATA_DIR set; queries:
 *   - progress: the user's label counts, median duration, faces left for them, faces with consensus evidence
 *   - unreviewed-head: the first face the "unreviewed" order has for them
 */
import { sql } from "drizzle-orm";
import { loadEnv } from "../../../../lib/config/env";
import { queryRows } from "../../../../lib/db/query-rows";
import { openServices } from "../../../../lib/runtime/services";

async function main() {
  const [query, userId] = process.argv.slice(2);
  const env = loadEnv();
  const services = await openServices(env);
  const eligible = sql`i.status = 'active' and i.people_label_count < ${env.LABEL_OVERLAP}
    and i.id not in (select image_id from label_leases where expires_at > now() and annotator_id <> ${userId}::uuid)
    and i.id not in (select image_id from annotations where annotator_id = ${userId}::uuid)
    and i.id not in (select image_id from label_skips where annotator_id = ${userId}::uuid and expires_at > now())`;
  try {
    let result: unknown;
    if (query === "progress") {
      const [row] = await queryRows<Record<string, number | null>>(
        services.db,
        sql`select
          (select count(*)::int from annotations where annotator_id = ${userId}::uuid) as total,
          (select count(*)::int from annotations where annotator_id = ${userId}::uuid
             and created_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC') as today,
          (select percentile_cont(0.5) within group (order by duration_ms)::float8 from annotations
             where annotator_id = ${userId}::uuid and duration_ms is not null) as median_ms,
          (select count(*)::int from images i where ${eligible}) as available,
          (select count(*)::int from annotations a where a.annotator_id = ${userId}::uuid and (
             exists (select 1 from annotations o where o.image_id = a.image_id and o.annotator_id <> ${userId}::uuid)
             or exists (select 1 from vote_counts v where v.image_id = a.image_id and v.source = 'ferplus'))) as with_consensus`,
      );
      result = row;
    } else if (query === "unreviewed-head") {
      const [row] = await queryRows<{ id: number }>(
        services.db,
        sql`select i.id from images i where ${eligible} order by i.people_label_count, i.id limit 1`,
      );
      result = { id: row?.id ?? null };
    } else throw new Error(`unknown query ${query}`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await services.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
