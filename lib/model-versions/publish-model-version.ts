import { randomBytes } from "node:crypto";
import type * as tf from "@tensorflow/tfjs";
import { eq, sql } from "drizzle-orm";
import { modelVersions } from "../../db/schema";
import type { Database } from "../db/client";
import type { ObjectStore } from "../storage/object-store";
import { saveModelFiles } from "./model-files";

export interface PublishedVersion {
  id: number;
  version: string;
  storagePrefix: string;
  serving: boolean;
}

export interface PublishOptions {
  model: tf.LayersModel;
  modelName: string;
  runId?: number | null;
  valMetrics?: { accuracy: number } & Record<string, unknown>;
  testMetrics?: object;
  /** Make it the serving version: "always", or "if-better" on validation accuracy (never on test). */
  serve?: "always" | "if-better" | "never";
}

/**
 * Writes a model under an immutable version prefix, checks every file, and only then records the version (one
 * transaction), so nothing can load a version whose files are incomplete. A crash before the record leaves
 * unreferenced files under a prefix nobody points at.
 */
export async function publishModelVersion(db: Database, store: ObjectStore, options: PublishOptions): Promise<PublishedVersion> {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
  const version = `${stamp}-${options.runId ? `run${options.runId}-` : ""}${randomBytes(3).toString("hex")}`;
  const storagePrefix = `models/${options.modelName}/${version}/`;
  await saveModelFiles(options.model, store, storagePrefix, { modelName: options.modelName, version, classOrder: "fer2013" });

  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ id: modelVersions.id, valMetrics: modelVersions.valMetrics })
      .from(modelVersions)
      .where(eq(modelVersions.serving, true))
      .for("update");
    const currentVal = (current?.valMetrics as { accuracy?: number } | null)?.accuracy ?? -1;
    const serve =
      options.serve === "always" ||
      (options.serve !== "never" && (!current || (options.valMetrics?.accuracy ?? -1) >= currentVal));
    if (serve && current) await tx.update(modelVersions).set({ serving: false }).where(eq(modelVersions.id, current.id));
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
        publishedAt: sql`now()`,
        serving: serve,
      })
      .returning({ id: modelVersions.id });
    return { id: row.id, version, storagePrefix, serving: serve };
  });
}
