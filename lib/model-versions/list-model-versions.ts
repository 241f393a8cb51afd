import { desc, eq } from "drizzle-orm";
import { evaluationLabelSets, modelVersions } from "../../db/schema";
import type { Database } from "../db/client";
import type { PerRowAccuracy } from "../evaluation/benchmark-rows";
import { type DataFingerprint, sameFingerprint } from "../evaluation/data-fingerprint";

export interface ModelVersionListItem {
  id: number;
  modelName: string;
  version: string;
  serving: boolean;
  paramCount: number | null;
  testMetrics: StoredMetrics | null;
  valMetrics: StoredMetrics | null;
  publishedAt: Date | null;
  /** What it was trained and measured on, and whether and why it serves (see version-record fields below). */
  record: VersionRecord;
}

/**
 * The honest-evaluation record of a version (issue #9), for the leaderboard: two versions' val figures are
 * comparable only when `labelPolicy` and `valFingerprint` are equal; test figures name their frozen label set.
 */
export interface VersionRecord {
  /** "original" | "consensus" | "soft"; null for the demo model and versions published before it was recorded. */
  labelPolicy: string | null;
  /** Count and sha256 of the (image, label) pairs it trained on / selected on. */
  trainFingerprint: DataFingerprint | null;
  valFingerprint: DataFingerprint | null;
  /** The run's config with its resolved preset. */
  config: Record<string, unknown> | null;
  /** The frozen evaluation label set its headline test metrics are measured against ("original v1" ...). */
  evaluationLabelSet: { id: number; name: string; version: number } | null;
  /** The automatic promotion decision made when it was published. */
  promotion: { serve: boolean; reason: string; comparedWith: number | null } | null;
  demo: boolean;
  scoring: { status: "pending" | "running" | "succeeded" | "failed"; error: string | null };
}

/** The parts of the stored evaluation the pages show (see lib/training/classification-metrics.ts). */
export interface StoredMetrics {
  count: number;
  accuracy: number;
  macroF1: number;
  ece: number;
  confusion: number[][];
  /** Accuracy with test-time augmentation (flip; ten shifts and flips); versions published since it was measured. */
  viewAveragedAccuracy?: { flip: number; shiftFlip: number };
  /** Since issue #9: the protocol ("per-face"), split and labels these figures are measured with. */
  protocol?: string;
  split?: string;
  /** The run's label policy (val) or the frozen label set, e.g. "original v1" (test). */
  labels?: string;
  /** The benchmark figure per FER-2013 row (PublicTest for val, PrivateTest for test), when FER-2013 rows exist. */
  perRow?: PerRowAccuracy | null;
  /** Val only: the share of its most common class (the floor a version must beat to serve). */
  majorityClassRate?: number;
  /** Test only: per-face figures against the other frozen label sets (FER+ majority). */
  otherLabelSets?: { labels: string; labelSetId: number; count: number; accuracy: number; macroF1: number }[];
}

export async function listModelVersions(db: Database, limit = 50): Promise<ModelVersionListItem[]> {
  const rows = await db
    .select({
      id: modelVersions.id,
      modelName: modelVersions.modelName,
      version: modelVersions.version,
      serving: modelVersions.serving,
      paramCount: modelVersions.paramCount,
      testMetrics: modelVersions.testMetrics,
      valMetrics: modelVersions.valMetrics,
      publishedAt: modelVersions.publishedAt,
      labelPolicy: modelVersions.labelPolicy,
      trainFingerprint: modelVersions.trainFingerprint,
      valFingerprint: modelVersions.valFingerprint,
      config: modelVersions.config,
      promotion: modelVersions.promotion,
      demo: modelVersions.demo,
      scoringStatus: modelVersions.scoringStatus,
      scoringError: modelVersions.scoringError,
      setId: evaluationLabelSets.id,
      setName: evaluationLabelSets.name,
      setVersion: evaluationLabelSets.version,
    })
    .from(modelVersions)
    .leftJoin(evaluationLabelSets, eq(evaluationLabelSets.id, modelVersions.evaluationLabelSetId))
    .orderBy(desc(modelVersions.id))
    .limit(limit);
  return rows.map((row) => ({
    id: row.id,
    modelName: row.modelName,
    version: row.version,
    serving: row.serving,
    paramCount: row.paramCount,
    publishedAt: row.publishedAt,
    testMetrics: (row.testMetrics as StoredMetrics | null) ?? null,
    valMetrics: (row.valMetrics as StoredMetrics | null) ?? null,
    record: {
      labelPolicy: row.labelPolicy,
      trainFingerprint: (row.trainFingerprint as DataFingerprint | null) ?? null,
      valFingerprint: (row.valFingerprint as DataFingerprint | null) ?? null,
      config: (row.config as Record<string, unknown> | null) ?? null,
      evaluationLabelSet: row.setId === null ? null : { id: row.setId, name: row.setName!, version: row.setVersion! },
      promotion: (row.promotion as VersionRecord["promotion"]) ?? null,
      demo: row.demo,
      scoring: { status: row.scoringStatus as VersionRecord["scoring"]["status"], error: row.scoringError },
    },
  }));
}

/** Whether two versions' val figures may be compared (same label policy, same val faces and labels). */
export function comparableOnVal(a: VersionRecord, b: VersionRecord): boolean {
  return a.labelPolicy !== null && a.labelPolicy === b.labelPolicy && sameFingerprint(a.valFingerprint, b.valFingerprint);
}
