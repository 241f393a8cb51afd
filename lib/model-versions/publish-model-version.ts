import { randomBytes } from "node:crypto";
import type * as tf from "@tensorflow/tfjs";
import { eq, sql } from "drizzle-orm";
import { modelVersions } from "../../db/schema";
import type { Database } from "../db/client";
import type { DataFingerprint } from "../evaluation/data-fingerprint";
import type { ObjectStore } from "../storage/object-store";
import { saveModelFiles } from "./model-files";
import {
  DEFAULT_PROMOTION_FLOORS,
  decidePromotion,
  type PromotionDecision,
  type PromotionFloors,
  type ServeMode,
} from "./promotion-decision";

export interface PublishedVersion {
  id: number;
  version: string;
  storagePrefix: string;
  serving: boolean;
  promotion: PromotionDecision;
}

export interface PublishOptions {
  model: tf.LayersModel;
  modelName: string;
  runId?: number | null;
  /** Val figures under the per-face protocol; `majorityClassRate` and `macroF1` are the promotion floors' inputs. */
  valMetrics?: { accuracy: number; macroF1?: number; majorityClassRate?: number } & Record<string, unknown>;
  testMetrics?: object;
  /** What it was trained and selected on (see promotion-decision.ts). */
  labelPolicy?: string | null;
  trainFingerprint?: DataFingerprint | null;
  valFingerprint?: DataFingerprint | null;
  config?: object | null;
  evaluationLabelSetId?: number | null;
  /** The synthetic demo model. */
  demo?: boolean;
  /** "always", "never", or "if-better": on comparable val figures and above the floors (promotion-decision.ts). */
  serve?: ServeMode;
  floors?: PromotionFloors;
}

/**
 * Writes a model under an immutable version prefix, checks every file, and only then records the version (one
 * transaction, which also decides promotion against the serving version it locks), so nothing can load a version
 * whose files are incomplete. A crash before the record leaves unreferenced files under a prefix nobody points at.
 */
export async function publishModelVersion(db: Database, store: ObjectStore, options: PublishOptions): Promise<PublishedVersion> {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
  const version = `${stamp}-${options.runId ? `run${options.runId}-` : ""}${randomBytes(3).toString("hex")}`;
  const storagePrefix = `models/${options.modelName}/${version}/`;
  await saveModelFiles(options.model, store, storagePrefix, { modelName: options.modelName, version, classOrder: "fer2013" });

  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({
        id: modelVersions.id,
        demo: modelVersions.demo,
        labelPolicy: modelVersions.labelPolicy,
        valFingerprint: modelVersions.valFingerprint,
        valMetrics: modelVersions.valMetrics,
      })
      .from(modelVersions)
      .where(eq(modelVersions.serving, true))
      .for("update");
    const val = options.valMetrics;
    const promotion = decidePromotion(
      options.serve ?? "if-better",
      {
        labelPolicy: options.labelPolicy ?? null,
        valFingerprint: options.valFingerprint ?? null,
        val:
          val && val.macroF1 !== undefined && val.majorityClassRate !== undefined
            ? { accuracy: val.accuracy, macroF1: val.macroF1, majorityClassRate: val.majorityClassRate }
            : null,
      },
      current
        ? {
            id: current.id,
            demo: current.demo,
            labelPolicy: current.labelPolicy,
            valFingerprint: (current.valFingerprint as DataFingerprint | null) ?? null,
            valAccuracy: (current.valMetrics as { accuracy?: number } | null)?.accuracy ?? null,
          }
        : null,
      options.floors ?? DEFAULT_PROMOTION_FLOORS,
    );
    if (promotion.serve && current) await tx.update(modelVersions).set({ serving: false }).where(eq(modelVersions.id, current.id));
    const [row] = await tx
      .insert(modelVersions)
      .values({
        modelName: options.modelName,
        version,
        runId: options.runId ?? null,
        storagePrefix,
        paramCount: options.model.countParams(),
        valMetrics: options.valMetrics ?? null,
        testMetrics: options.testMetrics ?? null,
        labelPolicy: options.labelPolicy ?? null,
        trainFingerprint: options.trainFingerprint ?? null,
        valFingerprint: options.valFingerprint ?? null,
        config: options.config ?? null,
        evaluationLabelSetId: options.evaluationLabelSetId ?? null,
        promotion,
        demo: options.demo ?? false,
        publishedAt: sql`now()`,
        serving: promotion.serve,
      })
      .returning({ id: modelVersions.id });
    return { id: row.id, version, storagePrefix, serving: promotion.serve, promotion };
  });
}
