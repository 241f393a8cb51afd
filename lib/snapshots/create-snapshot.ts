import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { refreshConsensus } from "../curation/consensus/refresh-consensus";
import type { Split } from "../datasets/types";
import { NOT_A_FACE, NUM_EMOTIONS } from "../emotions";
import { UPLOAD_SOURCE } from "../uploads/store-uploaded-face";
import { snapshotFileKey, snapshotFileNames } from "./snapshot-file-names";
import { type TCreateSnapshot, ZCreateSnapshot } from "./snapshot-filter";
import { snapshotLabel } from "./snapshot-label";
import { SnapshotStatsCounter, type SnapshotStats } from "./snapshot-stats";

export interface CreatedSnapshot {
  id: number;
  version: number;
  imageCount: number;
  stats: SnapshotStats;
}

/** Images read and items written per statement. */
const BATCH = 4000;
// Serialises snapshot creation so versions are consecutive; labelling takes no such lock.
const SNAPSHOT_LOCK = 7_402_114;

interface EvidenceRow {
  id: number;
  content_hash: string;
  storage_key: string;
  storage_offset: number;
  split: Split;
  status: "active" | "not_face" | "rejected";
  source_count: number;
  original: number[] | null;
  people: number[] | null;
  crowd: number[] | null;
  crowd_raw: number[] | null;
  sources: string[] | null;
  upload: boolean | null;
  consensus_label: number | null;
  consensus_confidence: number | null;
  consensus_distribution: number[] | null;
}

/**
 * Freezes the live set under a filter into a new numbered snapshot: reads every image with its evidence in batches
 * (one statement each, keyset by split and id), resolves labels with the curation rules, and copies the members into
 * dataset_snapshot_items in batched set inserts, all in one repeatable-read transaction, so the snapshot is one
 * consistent moment of the data and appears whole or not at all. Reads never block labelling (MVCC). Its files
 * are built afterwards by buildSnapshotFiles.
 */
export async function createSnapshot(
  db: Database,
  input: TCreateSnapshot,
  createdBy: string | null,
): Promise<CreatedSnapshot> {
  const { name, filter } = ZCreateSnapshot.parse(input);
  // The stored consensus must include every label saved so far; it refreshes outside our snapshot transaction.
  if (filter.labelMethod !== "original") await refreshConsensus(db);
  return db.transaction(
    async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${SNAPSHOT_LOCK})`);
      const [created] = await queryRows<{ id: number; version: number }>(
        tx,
        sql`insert into dataset_snapshots (version, name, filter, stats, image_count, created_by)
            select coalesce(max(version), 0) + 1, ${name}, ${JSON.stringify(filter)}::jsonb, '{}'::jsonb, 0, ${createdBy}
            from dataset_snapshots
            returning id, version`,
      );
      const counter = new SnapshotStatsCounter();
      let position = 0;
      let after: { split: Split; id: number } = { split: "train", id: 0 };
      for (;;) {
        const rows = await queryRows<EvidenceRow>(
          tx,
          sql`
          select i.id, i.content_hash, i.storage_key, i.storage_offset, i.split, i.status, i.source_count,
                 a.original, a.people, v.crowd, v.crowd_raw, s.sources, s.upload,
                 c.label as consensus_label, c.confidence as consensus_confidence, c.distribution as consensus_distribution
          from images i
          left join lateral (
            select array_agg(label order by id) filter (where annotator_id is null) as original,
                   array_agg(label order by id) filter (where annotator_id is not null) as people
            from annotations where image_id = i.id
          ) a on true
          left join lateral (
            select array_agg(source || ':' || source_ref order by id) as sources, bool_or(source = ${UPLOAD_SOURCE}) as upload
            from image_sources where image_id = i.id
          ) s on true
          left join lateral (
            -- A face that occurs twice in FER-2013 has two FER+ vote rows: its votes are their sum.
            select array_agg(c order by k) filter (where k <= 7) as crowd, array_agg(r order by k) as crowd_raw
            from (
              select u.k, sum(u.c)::int as c, sum(u.r)::int as r
              from vote_counts vc
              cross join lateral unnest(vc.counts || array_fill(0::smallint, array[3]), vc.raw_counts) with ordinality as u(c, r, k)
              where vc.image_id = i.id and vc.source = 'ferplus'
              group by u.k
            ) summed
            having count(*) > 0
          ) v on true
          left join consensus_labels c on c.image_id = i.id and c.method = ${filter.labelMethod}
          where i.status <> 'rejected' and (i.split, i.id) > (${after.split}::split, ${after.id})
          order by i.split, i.id
          limit ${BATCH}`,
        );
        if (rows.length === 0) break;
        after = { split: rows[rows.length - 1].split, id: rows[rows.length - 1].id };

        const items: ItemRow[] = [];
        for (const row of rows) {
          const reason = excludedBy(row, filter);
          if (reason) {
            counter.exclude(reason);
            continue;
          }
          const evidence = {
            original: row.original ?? [],
            people: row.people ?? [],
            crowd: row.crowd,
            consensus:
              row.consensus_confidence === null
                ? null
                : {
                    label: row.consensus_label === null ? null : Number(row.consensus_label),
                    confidence: Number(row.consensus_confidence),
                    distribution: (row.consensus_distribution ?? []).map(Number),
                  },
          };
          const resolved = snapshotLabel(evidence, filter.labelMethod, filter.includeNotFace);
          if (!resolved) {
            counter.exclude(evidence.people.includes(NOT_A_FACE) ? "notFace" : "noLabel");
            continue;
          }
          if (filter.minConfidence > 0 && (resolved.confidence ?? 0) < filter.minConfidence) {
            counter.exclude("lowConfidence");
            continue;
          }
          const originalLabel = evidence.original.find((l) => l >= 0 && l < NUM_EMOTIONS) ?? null;
          const peopleVotes = new Array<number>(NUM_EMOTIONS + 1).fill(0);
          for (const l of evidence.people) peopleVotes[l === NOT_A_FACE ? NUM_EMOTIONS : l]++;
          counter.add({
            split: row.split,
            label: resolved.label,
            confidence: resolved.confidence,
            originalLabel,
            crowd: row.crowd !== null,
            people: evidence.people.length > 0,
          });
          items.push({
            position: position++,
            row,
            label: resolved.label,
            confidence: resolved.confidence,
            target: resolved.target,
            originalLabel,
            peopleVotes,
          });
        }
        await insertItems(tx, created.id, items);
      }

      const stats = counter.result();
      await tx.execute(sql`
        update dataset_snapshots set stats = ${JSON.stringify(stats)}::jsonb, image_count = ${position}
        where id = ${created.id}`);
      const names = snapshotFileNames(filter);
      await tx.execute(sql`
        insert into dataset_snapshot_files (snapshot_id, name, storage_key)
        select ${created.id}, n, k from unnest(
          ${sql.param(names)}::text[], ${sql.param(names.map((n) => snapshotFileKey(created.id, n)))}::text[]
        ) as t(n, k)`);
      await tx.execute(sql`
        insert into audit_log (actor_id, actor_name, action, subject, details)
        values (${createdBy}, ${createdBy ? null : "cli"}, 'snapshot.create', ${`snapshot:${created.id}`},
                ${JSON.stringify({ version: created.version, name, filter, imageCount: position })}::jsonb)`);
      return { id: created.id, version: created.version, imageCount: position, stats };
    },
    { isolationLevel: "repeatable read" },
  );
}

interface ItemRow {
  position: number;
  row: EvidenceRow;
  label: number;
  confidence: number | null;
  target: number[] | null;
  originalLabel: number | null;
  peopleVotes: number[];
}

function excludedBy(row: EvidenceRow, filter: TCreateSnapshot["filter"]) {
  if (!filter.splits.includes(row.split)) return "split" as const;
  if (row.upload && !filter.includeUploads) return "upload" as const;
  if (row.status === "not_face" && !filter.includeNotFace) return "notFace" as const;
  if (row.source_count > 1 && !filter.includeDuplicates) return "duplicate" as const;
  return null;
}

/** One set insert per batch; array-valued columns travel as Postgres array literals (unnest would flatten them). */
async function insertItems(tx: Pick<Database, "execute">, snapshotId: number, items: ItemRow[]): Promise<void> {
  if (items.length === 0) return;
  const arrayLiteral = (values: readonly number[] | null) => (values ? `{${values.join(",")}}` : null);
  await tx.execute(sql`
    insert into dataset_snapshot_items (snapshot_id, position, image_id, content_hash, storage_key, storage_offset,
      split, label, confidence, target, original_label, not_face, crowd_votes, people_votes, sources)
    select ${snapshotId}, t.position, t.image_id, t.content_hash, t.storage_key, t.storage_offset, t.split, t.label,
      t.confidence, t.target::real[], t.original_label, t.not_face, t.crowd::smallint[], t.people::smallint[],
      array(select jsonb_array_elements_text(t.sources::jsonb))
    from unnest(
      ${sql.param(items.map((i) => i.position))}::int[],
      ${sql.param(items.map((i) => i.row.id))}::int[],
      ${sql.param(items.map((i) => i.row.content_hash))}::text[],
      ${sql.param(items.map((i) => i.row.storage_key))}::text[],
      ${sql.param(items.map((i) => i.row.storage_offset))}::int[],
      ${sql.param(items.map((i) => i.row.split))}::split[],
      ${sql.param(items.map((i) => i.label))}::smallint[],
      ${sql.param(items.map((i) => i.confidence))}::real[],
      ${sql.param(items.map((i) => arrayLiteral(i.target)))}::text[],
      ${sql.param(items.map((i) => i.originalLabel))}::smallint[],
      ${sql.param(items.map((i) => i.row.status === "not_face"))}::boolean[],
      ${sql.param(items.map((i) => arrayLiteral(i.row.crowd_raw)))}::text[],
      ${sql.param(items.map((i) => arrayLiteral(i.peopleVotes)))}::text[],
      ${sql.param(items.map((i) => JSON.stringify(i.row.sources ?? [])))}::text[]
    ) as t(position, image_id, content_hash, storage_key, storage_offset, split, label, confidence, target,
           original_label, not_face, crowd, people, sources)`);
}
