import { and, desc, eq, lt, sql } from "drizzle-orm";
import { importJobs } from "../../db/schema";
import type { Database } from "../db/client";
import type { ImportSummary } from "./import-summary";

export interface ImportJob {
  id: number;
  sourcePath: string;
  format: string;
  status: "running" | "succeeded" | "failed" | "interrupted";
  summary: ImportSummary | null;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

/** A running import touches its job after every batch (seconds apart); one silent this long has died. */
export const IMPORT_STALE_SECONDS = 300;

export async function listImportJobs(db: Database, limit = 20): Promise<ImportJob[]> {
  const rows = await db.select().from(importJobs).orderBy(desc(importJobs.id)).limit(limit);
  return rows.map((row) => ({ ...row, summary: (row.summary as ImportSummary | null) ?? null }));
}

/**
 * Marks imports whose process died (killed, machine off) as interrupted, so they stop looking like they still run.
 * Nothing needs undoing: every batch is one transaction, and running the same import again adds what is missing.
 * Returns the jobs marked.
 */
export async function markInterruptedImports(
  db: Database,
  staleSeconds = IMPORT_STALE_SECONDS,
): Promise<{ id: number; sourcePath: string }[]> {
  return db
    .update(importJobs)
    .set({
      status: "interrupted",
      finishedAt: sql`now()`,
      error: "the import stopped before it finished (its process ended); run the same import again to resume it",
    })
    .where(
      and(
        eq(importJobs.status, "running"),
        lt(importJobs.heartbeatAt, sql`now() - make_interval(secs => ${staleSeconds})`),
      ),
    )
    .returning({ id: importJobs.id, sourcePath: importJobs.sourcePath });
}

export async function touchImportJob(db: Database, id: number): Promise<void> {
  await db
    .update(importJobs)
    .set({ heartbeatAt: sql`now()` })
    .where(eq(importJobs.id, id));
}
