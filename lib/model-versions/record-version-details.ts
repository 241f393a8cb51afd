import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import type { ObjectStore } from "../storage/object-store";

/** How a version came to be: the trainer's backend and time, or an import's format and class order. */
export interface VersionDetails {
  backend?: string;
  /** Seconds in the training loop (val passes included). */
  trainingSeconds?: number;
  wallSeconds?: number;
  preset?: string;
  labelPolicy?: string;
  trainImages?: number;
  /** Imports: "layers-model" or "graph-model", and the class order its outputs came in. */
  format?: string;
  classOrder?: string;
  importedAs?: string;
}

/** Stores a version's details and the total size of its files (read from the store, so it is what a browser downloads). */
export async function recordVersionDetails(
  db: Database,
  store: ObjectStore,
  modelVersionId: number,
  details: VersionDetails,
): Promise<void> {
  const [row] = await queryRows<{ storage_prefix: string }>(
    db,
    sql`select storage_prefix from model_versions where id = ${modelVersionId}`,
  );
  if (!row) throw new Error(`no model version ${modelVersionId}`);
  let bytes = 0;
  for await (const object of store.list(row.storage_prefix)) bytes += object.size;
  await db.execute(sql`
    update model_versions set weight_bytes = ${bytes},
      details = coalesce(details, '{}'::jsonb) || ${JSON.stringify(details)}::jsonb
    where id = ${modelVersionId}`);
}
