import { desc } from "drizzle-orm";
import { importJobs } from "../../db/schema";
import type { Database } from "../db/client";
import type { ImportSummary } from "./import-summary";

export interface ImportJob {
  id: number;
  sourcePath: string;
  format: string;
  status: "running" | "succeeded" | "failed";
  summary: ImportSummary | null;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export async function listImportJobs(db: Database, limit = 20): Promise<ImportJob[]> {
  const rows = await db.select().from(importJobs).orderBy(desc(importJobs.id)).limit(limit);
  return rows.map((row) => ({ ...row, summary: (row.summary as ImportSummary | null) ?? null }));
}
