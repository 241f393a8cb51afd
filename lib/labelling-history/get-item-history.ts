import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/query-rows";
import { NOT_A_FACE, NUM_EMOTIONS } from "../emotions";

export interface ItemSource {
  source: string;
  sourceRef: string;
  declaredSplit: "train" | "val" | "test";
  /** Canonical class, null where the source gave none. */
  originalLabel: number | null;
}

export interface ItemAnnotation {
  id: number;
  /** "fer2013", "demo" ... for a dataset's own label; the annotation's source for a person too. */
  source: string;
  annotator: { id: string; name: string | null; email: string } | null;
  /** Canonical class 0..6, or -1 for not a face. */
  label: number;
  createdAt: Date;
  durationMs: number | null;
  blind: boolean;
  /** What the page suggested when the decision was made; null for blind items and sources. */
  suggestion: { label: number; modelVersionId: number | null; modelName: string | null; version: string | null } | null;
}

export interface ItemVotes {
  source: string;
  /** Votes per canonical class. */
  counts: number[];
  notFaceVotes: number;
  totalVotes: number;
}

export interface ItemPrediction {
  modelVersionId: number;
  modelName: string;
  version: string;
  serving: boolean;
  predictedLabel: number;
  /** Canonical order. */
  probs: number[];
  createdAt: Date;
}

export interface ItemHistory {
  id: number;
  split: "train" | "val" | "test";
  status: "active" | "not_face" | "rejected";
  createdAt: Date;
  sources: ItemSource[];
  /** Oldest first. */
  annotations: ItemAnnotation[];
  votes: ItemVotes[];
  /** People's labels per canonical class, and their not-a-face count. */
  people: { counts: number[]; notFace: number };
  /** Newest version first. */
  predictions: ItemPrediction[];
}

/** Everything known about one face, for its history page: where it came from, every label, votes and predictions. */
export async function getItemHistory(db: Database, imageId: number): Promise<ItemHistory | null> {
  const [image] = await queryRows<{
    id: number;
    split: ItemHistory["split"];
    status: ItemHistory["status"];
    created_at: Date;
  }>(db, sql`select id, split, status, created_at from images where id = ${imageId}`);
  if (!image) return null;

  const [sources, annotations, votes, predictions] = await Promise.all([
    queryRows<{
      source: string;
      source_ref: string;
      declared_split: ItemSource["declaredSplit"];
      original_label: number | null;
    }>(
      db,
      sql`select source, source_ref, declared_split, original_label from image_sources where image_id = ${imageId} order by id`,
    ),
    queryRows<AnnotationRow>(
      db,
      sql`select a.id, a.source, a.annotator_id, u.name as annotator_name, u.email as annotator_email, a.label,
                 a.created_at, a.duration_ms, a.blind, a.suggested_label, a.suggestion_model_version_id,
                 mv.model_name as suggestion_model_name, mv.version as suggestion_version
          from annotations a
          left join users u on u.id = a.annotator_id
          left join model_versions mv on mv.id = a.suggestion_model_version_id
          where a.image_id = ${imageId}
          order by a.created_at, a.id`,
    ),
    queryRows<{ source: string; counts: number[]; not_face_votes: number; total_votes: number }>(
      db,
      sql`select source, counts, not_face_votes, total_votes from vote_counts where image_id = ${imageId} order by source, source_ref`,
    ),
    queryRows<{
      model_version_id: number;
      model_name: string;
      version: string;
      serving: boolean;
      predicted_label: number;
      probs: number[];
      created_at: Date;
    }>(
      db,
      sql`select p.model_version_id, mv.model_name, mv.version, mv.serving, p.predicted_label, p.probs, p.created_at
          from predictions p join model_versions mv on mv.id = p.model_version_id
          where p.image_id = ${imageId}
          order by p.model_version_id desc`,
    ),
  ]);

  const people = { counts: new Array<number>(NUM_EMOTIONS).fill(0), notFace: 0 };
  const items = annotations.map(toAnnotation);
  for (const a of items) {
    if (a.annotator === null) continue;
    if (a.label === NOT_A_FACE) people.notFace++;
    else if (a.label >= 0 && a.label < NUM_EMOTIONS) people.counts[a.label]++;
  }

  return {
    id: image.id,
    split: image.split,
    status: image.status,
    createdAt: new Date(image.created_at),
    sources: sources.map((s) => ({
      source: s.source,
      sourceRef: s.source_ref,
      declaredSplit: s.declared_split,
      originalLabel: s.original_label,
    })),
    annotations: items,
    votes: votes.map((v) => ({
      source: v.source,
      counts: v.counts.map(Number),
      notFaceVotes: v.not_face_votes,
      totalVotes: v.total_votes,
    })),
    people,
    predictions: predictions.map((p) => ({
      modelVersionId: p.model_version_id,
      modelName: p.model_name,
      version: p.version,
      serving: p.serving,
      predictedLabel: p.predicted_label,
      probs: p.probs.map(Number),
      createdAt: new Date(p.created_at),
    })),
  };
}

interface AnnotationRow {
  id: number | string;
  source: string;
  annotator_id: string | null;
  annotator_name: string | null;
  annotator_email: string | null;
  label: number;
  created_at: Date | string;
  duration_ms: number | null;
  blind: boolean;
  suggested_label: number | null;
  suggestion_model_version_id: number | null;
  suggestion_model_name: string | null;
  suggestion_version: string | null;
}

function toAnnotation(row: AnnotationRow): ItemAnnotation {
  return {
    id: Number(row.id),
    source: row.source,
    annotator:
      row.annotator_id === null
        ? null
        : { id: row.annotator_id, name: row.annotator_name, email: row.annotator_email ?? "" },
    label: row.label,
    createdAt: new Date(row.created_at),
    durationMs: row.duration_ms,
    blind: row.blind,
    suggestion:
      row.suggested_label === null
        ? null
        : {
            label: row.suggested_label,
            modelVersionId: row.suggestion_model_version_id,
            modelName: row.suggestion_model_name,
            version: row.suggestion_version,
          },
  };
}
