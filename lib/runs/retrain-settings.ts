import { eq } from "drizzle-orm";
import { z } from "zod";
import { retrainSchedule } from "../../db/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { LABEL_POLICIES, type LabelPolicy } from "../curation/label-policy";
import type { Database } from "../db/client";
import { MODEL_NAMES } from "../models";
import type { RetrainPolicy } from "./retrain-schedule";

/** The schedule as an admin edits it on /runs. */
export const ZRetrainSettings = z.object({
  enabled: z.boolean(),
  afterLabels: z.number().int().min(1).max(10_000_000),
  /** 0: never by age. */
  afterHours: z.number().min(0).max(24 * 365),
  modelName: z.string().refine((name) => MODEL_NAMES.includes(name), { message: "not a model of the zoo" }),
  preset: z.enum(["seed", "fast"]),
  labelPolicy: z.enum(LABEL_POLICIES as [LabelPolicy, ...LabelPolicy[]]),
});
export type TRetrainSettings = z.infer<typeof ZRetrainSettings>;

export interface RetrainSettingsRecord extends TRetrainSettings {
  /** False while nobody has saved a schedule: the values are the environment's defaults. */
  saved: boolean;
  updatedBy: string | null;
  updatedAt: Date | null;
}

/** The trainer's defaults from the environment (RETRAIN_AFTER_*), used until an admin saves a schedule. */
export function defaultRetrainSettings(env: { RETRAIN_AFTER_LABELS: number; RETRAIN_AFTER_HOURS: number }): TRetrainSettings {
  return {
    enabled: true,
    afterLabels: env.RETRAIN_AFTER_LABELS,
    afterHours: env.RETRAIN_AFTER_HOURS,
    modelName: "compact",
    preset: "fast",
    labelPolicy: "consensus",
  };
}

export async function getRetrainSettings(db: Database, defaults: TRetrainSettings): Promise<RetrainSettingsRecord> {
  const [row] = await db.select().from(retrainSchedule).where(eq(retrainSchedule.id, 1));
  if (!row) return { ...defaults, saved: false, updatedBy: null, updatedAt: null };
  const config = (row.config ?? {}) as { preset?: "seed" | "fast"; labelPolicy?: LabelPolicy };
  return {
    enabled: row.enabled,
    afterLabels: row.afterLabels,
    afterHours: row.afterHours,
    modelName: row.modelName,
    preset: config.preset ?? defaults.preset,
    labelPolicy: config.labelPolicy ?? defaults.labelPolicy,
    saved: true,
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt,
  };
}

/** The schedule as the trainer applies it; null when it is switched off. */
export function toRetrainPolicy(settings: TRetrainSettings, backoffMinutes: number): RetrainPolicy | null {
  if (!settings.enabled) return null;
  return {
    afterLabels: settings.afterLabels,
    afterHours: settings.afterHours,
    backoffMinutes,
    modelName: settings.modelName,
    config: { preset: settings.preset, labelPolicy: settings.labelPolicy },
  };
}

/** Saves the schedule and writes the change (before and after) to the audit log, in one transaction. */
export async function saveRetrainSettings(
  db: Database,
  settings: TRetrainSettings,
  actorId: string,
  defaults: TRetrainSettings,
): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await getRetrainSettings(tx, defaults);
    const values = {
      enabled: settings.enabled,
      afterLabels: settings.afterLabels,
      afterHours: settings.afterHours,
      modelName: settings.modelName,
      config: { preset: settings.preset, labelPolicy: settings.labelPolicy },
      updatedBy: actorId,
      updatedAt: new Date(),
    };
    await tx.insert(retrainSchedule).values({ id: 1, ...values }).onConflictDoUpdate({ target: retrainSchedule.id, set: values });
    const { saved: _saved, updatedBy: _by, updatedAt: _at, ...previous } = before;
    await recordAuditEvent(tx, {
      actorId,
      action: "retrain_schedule.changed",
      subject: "retrain_schedule",
      details: { from: previous, to: settings },
    });
  });
}
