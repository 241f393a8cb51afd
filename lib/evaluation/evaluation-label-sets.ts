import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import type { Split } from "../datasets/types";
import type { FaceLocation } from "../images/face-shards";
import type { DataFingerprint } from "./data-fingerprint";

/**
 * The labels versions are tested against: named label sets over the val and test faces, fixed when created. They are
 * built only from what imports bring (the sources' own labels, FER+ crowd votes), never from people's labels, and a
 * set's rows are never updated: when the imported data changes, the next call makes a new version of the name.
 */
export type EvaluationLabelSetName = "original" | "ferplus-majority";

export interface EvaluationLabelSet {
  id: number;
  name: EvaluationLabelSetName;
  version: number;
  /** Per split: count and hash of the (image, label) pairs (the same format as data-fingerprint.ts). */
  fingerprint: Partial<Record<Split, DataFingerprint>>;
}

/** "original v2" */
export function labelSetTitle(set: Pick<EvaluationLabelSet, "name" | "version">): string {
  return `${set.name} v${set.version}`;
}

/** (image_id, split, label) of each set's definition, over active val and test faces. */
const DEFINITIONS: Record<EvaluationLabelSetName, SQL> = {
  // The most common label the image's sources gave; on a tie, the first source's (as label-policy.ts).
  original: sql`
    select i.id as image_id, i.split, o.label
    from images i
    cross join lateral (
      select a.label from annotations a
      where a.image_id = i.id and a.annotator_id is null and a.label >= 0
      group by a.label order by count(*) desc, min(a.id) limit 1
    ) o
    where i.split in ('val', 'test') and i.status = 'active'`,
  // The FER+ crowd's most voted class (votes of duplicate rows summed); on a tie the lowest class index.
  "ferplus-majority": sql`
    select i.id as image_id, i.split, m.label
    from images i
    join image_votes v on v.image_id = i.id and v.source = 'ferplus'
    cross join lateral (
      select (u.k - 1)::int as label from unnest(v.counts) with ordinality as u(c, k)
      where u.c > 0 order by u.c desc, u.k limit 1
    ) m
    where i.split in ('val', 'test') and i.status = 'active'`,
};

/**
 * The current version of every label set the data supports (FER+ majority only once votes are imported), creating
 * a new version where the data changed since the last one. Cheap when nothing changed: one query per name.
 */
export async function ensureEvaluationLabelSets(db: Database): Promise<EvaluationLabelSet[]> {
  const out: EvaluationLabelSet[] = [];
  for (const name of Object.keys(DEFINITIONS) as EvaluationLabelSetName[]) {
    const set = await ensureLabelSet(db, name);
    if (set) out.push(set);
  }
  return out;
}

async function ensureLabelSet(db: Database, name: EvaluationLabelSetName): Promise<EvaluationLabelSet | null> {
  return db.transaction(async (tx) => {
    // One creator at a time per name, so two processes never both make the next version.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`evaluation-label-set:${name}`}))`);
    const prints = await queryRows<{ split: Split; count: number; sha256: string }>(
      tx,
      sql`with d as (${DEFINITIONS[name]})
          select split, count(*)::int as count,
                 encode(sha256(convert_to(string_agg(image_id || ':' || label || E'\n', '' order by image_id), 'UTF8')), 'hex') as sha256
          from d group by split order by split`,
    );
    if (prints.length === 0) return null;
    const fingerprint = Object.fromEntries(prints.map((p) => [p.split, { count: p.count, sha256: p.sha256 }]));
    const [latest] = await queryRows<{ id: number; version: number; fingerprint: EvaluationLabelSet["fingerprint"] }>(
      tx,
      sql`select id, version, fingerprint from evaluation_label_sets where name = ${name} order by version desc limit 1`,
    );
    if (latest && sameSplits(latest.fingerprint, fingerprint)) {
      return { id: latest.id, name, version: latest.version, fingerprint: latest.fingerprint };
    }
    const version = (latest?.version ?? 0) + 1;
    const [created] = await queryRows<{ id: number }>(
      tx,
      sql`insert into evaluation_label_sets (name, version, fingerprint)
          values (${name}, ${version}, ${JSON.stringify(fingerprint)}::jsonb) returning id`,
    );
    await tx.execute(sql`
      insert into evaluation_labels (set_id, image_id, split, label)
      select ${created.id}, d.image_id, d.split, d.label from (${DEFINITIONS[name]}) d`);
    return { id: created.id, name, version, fingerprint };
  });
}

function sameSplits(a: EvaluationLabelSet["fingerprint"], b: EvaluationLabelSet["fingerprint"]): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<Split>;
  return [...keys].every((k) => a[k]?.count === b[k]?.count && a[k]?.sha256 === b[k]?.sha256);
}

export interface EvaluationFace extends FaceLocation {
  imageId: number;
  label: number;
}

/** A set's faces of one split with their frozen labels, in image id order. */
export async function loadEvaluationLabels(db: Database, setId: number, split: Split): Promise<EvaluationFace[]> {
  const rows = await queryRows<{ image_id: number; label: number; storage_key: string; storage_offset: number }>(
    db,
    sql`select e.image_id, e.label, i.storage_key, i.storage_offset
        from evaluation_labels e join images i on i.id = e.image_id
        where e.set_id = ${setId} and e.split = ${split}
        order by e.image_id`,
  );
  return rows.map((r) => ({ imageId: r.image_id, label: r.label, storageKey: r.storage_key, storageOffset: r.storage_offset }));
}
