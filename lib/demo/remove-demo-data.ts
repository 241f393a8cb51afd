import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import type { ObjectStore } from "../storage/object-store";
import { DEMO_SOURCE } from "./seed-demo-dataset";

export interface DemoRemoval {
  images: number;
  modelVersions: number;
  /** S3 objects (face shards, model files) deleted after the database step. */
  objectsDeleted: number;
  /** Objects that could not be deleted: unreferenced by then, harmless, listed so a person can remove them. */
  objectsLeft: string[];
}

/**
 * Takes the synthetic demo out when real faces arrive: its faces (with everything hanging off them: labels, leases,
 * predictions, evaluation label sets that hold them) and the demo model, which stops serving. The database part is
 * one transaction, so it happens entirely or not at all; the S3 objects are deleted after it commits (before, a crash
 * could leave rows pointing at missing pixels). Returns null when there is no demo data.
 */
export async function removeDemoData(db: Database, store: ObjectStore): Promise<DemoRemoval | null> {
  const removed = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('remove-demo-data'))`);
    const demoImages = sql`select s.image_id from image_sources s where s.source = ${DEMO_SOURCE}
      and not exists (select 1 from image_sources r where r.image_id = s.image_id and r.source <> ${DEMO_SOURCE})`;
    const [counts] = await queryRows<{ images: number; versions: number }>(
      tx,
      sql`select (select count(*)::int from (${demoImages}) d) as images,
                 (select count(*)::int from model_versions where demo) as versions`,
    );
    if (counts.images === 0 && counts.versions === 0) return null;
    const shards = await queryRows<{ storage_key: string }>(
      tx,
      sql`select distinct i.storage_key from images i where i.id in (${demoImages})
          and not exists (select 1 from images o where o.storage_key = i.storage_key and o.id not in (${demoImages}))`,
    );
    const models = await queryRows<{ storage_prefix: string }>(tx, sql`select storage_prefix from model_versions where demo`);
    // Label sets measured partly on demo faces would change if their rows simply vanished: drop them whole.
    await tx.execute(sql`delete from evaluation_label_sets s
      where exists (select 1 from evaluation_labels e where e.set_id = s.id and e.image_id in (${demoImages}))`);
    await tx.execute(sql`delete from model_versions where demo`);
    await tx.execute(sql`delete from images where id in (${demoImages})`);
    await tx.execute(sql`delete from image_sources where source = ${DEMO_SOURCE}`);
    const keys = [...shards.map((s) => s.storage_key)];
    const prefixes = models.map((m) => m.storage_prefix);
    await tx.execute(sql`insert into audit_log (actor_name, action, subject, details)
      values ('importer', 'demo-removed', 'demo data',
              ${JSON.stringify({ images: counts.images, modelVersions: counts.versions, keys, prefixes })}::jsonb)`);
    return { images: counts.images, modelVersions: counts.versions, keys, prefixes };
  });
  if (!removed) return null;

  let objectsDeleted = 0;
  const objectsLeft: string[] = [];
  for (const key of removed.keys) {
    try {
      await store.delete(key);
      objectsDeleted++;
    } catch {
      objectsLeft.push(key);
    }
  }
  for (const prefix of removed.prefixes) {
    try {
      objectsDeleted += await store.deletePrefix(prefix);
    } catch {
      objectsLeft.push(`${prefix}*`);
    }
  }
  return { images: removed.images, modelVersions: removed.modelVersions, objectsDeleted, objectsLeft };
}
