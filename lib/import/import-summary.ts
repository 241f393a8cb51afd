/** What an import did, row by row: the numbers a person checks after it ran. */
export interface ImportSummary {
  format: string;
  rowsRead: number;
  /** New distinct images stored. */
  imagesAdded: number;
  /** Rows whose pixels were already stored under another row or file: linked, not stored again. */
  duplicatesLinked: number;
  /** Rows this import had already taken in on an earlier run. */
  alreadyImported: number;
  votesAdded: number;
  /** Images marked not-a-face by a vote majority. */
  markedNotFace: number;
  skipped: number;
  /** Skipped rows by reason code, with the first few places for each so a person can look. */
  skippedByReason: Record<string, { count: number; examples: string[] }>;
  seconds: number;
  /** Earlier imports of the same path that failed or were interrupted: this run completes them. */
  resumes?: number[];
  /** Set when this import took the synthetic demo out (its faces, their S3 shards, the demo model). */
  demoRemoved?: { images: number; modelVersions: number; objectsDeleted: number; objectsLeft: string[] };
}

export function emptySummary(format: string): ImportSummary {
  return {
    format,
    rowsRead: 0,
    imagesAdded: 0,
    duplicatesLinked: 0,
    alreadyImported: 0,
    votesAdded: 0,
    markedNotFace: 0,
    skipped: 0,
    skippedByReason: {},
    seconds: 0,
  };
}

const EXAMPLES_KEPT = 5;

export function countSkip(summary: ImportSummary, code: string, where: string, reason: string): void {
  summary.skipped++;
  const entry = (summary.skippedByReason[code] ??= { count: 0, examples: [] });
  entry.count++;
  if (entry.examples.length < EXAMPLES_KEPT) entry.examples.push(`${where}: ${reason}`);
}

export function formatSummary(summary: ImportSummary): string {
  const lines = [
    ...(summary.resumes?.length ? [`resumes the unfinished import #${summary.resumes.join(", #")} of this file`] : []),
    `format: ${summary.format}`,
    `rows read: ${summary.rowsRead} in ${summary.seconds.toFixed(1)} s`,
    `images added: ${summary.imagesAdded}`,
    `duplicates linked (same pixels): ${summary.duplicatesLinked}`,
    `already imported: ${summary.alreadyImported}`,
  ];
  if (summary.votesAdded || summary.format.startsWith("ferplus")) {
    lines.push(`vote rows added: ${summary.votesAdded}`, `marked not-a-face: ${summary.markedNotFace}`);
  }
  if (summary.demoRemoved) {
    const d = summary.demoRemoved;
    lines.push(
      `demo removed: ${d.images} synthetic faces and ${d.modelVersions} demo model version(s) (real faces arrived)` +
        (d.objectsLeft.length ? `; ${d.objectsLeft.length} S3 object(s) could not be deleted: ${d.objectsLeft.join(", ")}` : ""),
    );
  }
  lines.push(`skipped: ${summary.skipped}`);
  for (const [code, { count, examples }] of Object.entries(summary.skippedByReason)) {
    lines.push(`  ${code}: ${count}`, ...examples.map((e) => `    ${e}`));
  }
  return lines.join("\n");
}

/** After a failure: what from this file is stored, so nobody believes rows were kept when none were. */
export function describeKept(summary: ImportSummary): string {
  const stored = summary.imagesAdded + summary.duplicatesLinked + summary.votesAdded;
  if (stored === 0) return "nothing from this run was stored; fix the input and run the import again.";
  return `${stored} rows read before the failure were stored in complete batches and are kept; fix the input and run the import again to add the rest.`;
}
