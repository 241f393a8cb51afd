import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import type { Split } from "../datasets/types";
import { NUM_EMOTIONS } from "../emotions";

export interface DatasetOverview {
  totalImages: number;
  bySplit: Record<Split, { active: number; notFace: number; rejected: number }>;
  /** Images per canonical class by their original (source) label, per split. */
  originalLabels: Record<Split, number[]>;
  annotations: { fromPeople: number; fromSources: number };
  voteRows: number;
  duplicateImages: number;
}

/** The numbers the Datasets page shows; a few aggregate queries over indexed columns. */
export async function getDatasetOverview(db: Database): Promise<DatasetOverview> {
  const empty = () => ({ active: 0, notFace: 0, rejected: 0 });
  const bySplit: DatasetOverview["bySplit"] = { train: empty(), val: empty(), test: empty() };
  const counts = await queryRows<{ split: Split; status: string; n: number }>(
    db,
    sql`select split, status, count(*)::int as n from images group by split, status`,
  );
  let totalImages = 0;
  for (const row of counts) {
    totalImages += row.n;
    const key = row.status === "not_face" ? "notFace" : row.status === "rejected" ? "rejected" : "active";
    bySplit[row.split][key] += row.n;
  }

  const originalLabels: DatasetOverview["originalLabels"] = {
    train: new Array(NUM_EMOTIONS).fill(0),
    val: new Array(NUM_EMOTIONS).fill(0),
    test: new Array(NUM_EMOTIONS).fill(0),
  };
  const labels = await queryRows<{ split: Split; label: number; n: number }>(
    db,
    sql`select i.split, a.label, count(distinct i.id)::int as n
        from annotations a join images i on i.id = a.image_id
        where a.annotator_id is null and a.label >= 0
        group by i.split, a.label`,
  );
  for (const row of labels) originalLabels[row.split][row.label] += row.n;

  const [totals] = await queryRows<{ people: number; sources: number; votes: number; duplicates: number }>(
    db,
    sql`select
      (select count(*)::int from annotations where annotator_id is not null) as people,
      (select count(*)::int from annotations where annotator_id is null) as sources,
      (select count(*)::int from vote_counts) as votes,
      (select count(*)::int from images where source_count > 1) as duplicates`,
  );
  return {
    totalImages,
    bySplit,
    originalLabels,
    annotations: { fromPeople: totals.people, fromSources: totals.sources },
    voteRows: totals.votes,
    duplicateImages: totals.duplicates,
  };
}

/** A few images of a split, newest first, for a glance at what is there. */
export async function listSampleImages(db: Database, options: { split?: Split; limit: number }): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    db,
    options.split
      ? sql`select id from images where split = ${options.split} and status = 'active' order by id desc limit ${options.limit}`
      : sql`select id from images where status = 'active' order by id desc limit ${options.limit}`,
  );
  return rows.map((r) => r.id);
}
