import type { Split } from "./types";

// FER-2013's own names for its three parts, as in the CSV's Usage column and msambare file-name prefixes.
const USAGE_SPLITS: Record<string, Split> = {
  training: "train",
  publictest: "val",
  privatetest: "test",
};

export const USAGE_NAMES = ["Training", "PublicTest", "PrivateTest"] as const;

/** `Training` → train, `PublicTest` → val, `PrivateTest` → test (case-insensitive); null for anything else. */
export function splitFromUsage(usage: string): Split | null {
  return USAGE_SPLITS[usage.trim().toLowerCase()] ?? null;
}

/** The split named by an msambare file-name prefix (`PublicTest_123.jpg` → val), or null when it has none. */
export function splitFromFileName(fileName: string): Split | null {
  const match = /^(Training|PublicTest|PrivateTest)_/i.exec(fileName);
  return match ? splitFromUsage(match[1]) : null;
}
