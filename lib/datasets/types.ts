import type { EmotionIndex } from "../emotions";

/** Where a record belongs: FER-2013's Training / PublicTest / PrivateTest. */
export type Split = "train" | "val" | "test";

/** One FER-2013 CSV row (`emotion,pixels,Usage`); `row` is the 0-based data row index, the same index FER+ uses. */
export interface Fer2013Record {
  kind: "fer2013";
  row: number;
  label: EmotionIndex;
  split: Split;
  /** 48x48 grayscale, row-major. */
  pixels: Uint8Array;
}

/** One image of the msambare folder layout (`train|test/<emotion>/*.jpg`). */
export interface FolderRecord {
  kind: "folder";
  /** Relative to the directory or zip that was opened, with `/` separators, e.g. `archive/train/angry/Training_1.jpg`. */
  path: string;
  label: EmotionIndex;
  split: Split;
  /** 48x48 grayscale, row-major. */
  pixels: Uint8Array;
}

/** One FER+ row (fer2013new.csv); `row` lines up with the FER-2013 row of the same index. */
export interface FerPlusRecord {
  kind: "ferplus";
  row: number;
  split: Split;
  /** Empty in the file for rows that are not faces. */
  imageName: string | null;
  /** 10 vote counts in FERPLUS_COLUMNS order. */
  votes: number[];
}

/** Stable reason codes, so an importer can count skipped inputs by kind; `reason` is the human sentence. */
export type SkipCode =
  | "columns"
  | "label"
  | "pixel-count"
  | "pixel-value"
  | "usage"
  | "votes"
  | "image-size"
  | "image-colour"
  | "image-decode"
  | "not-an-image"
  | "folder"
  | "symlink"
  | "unreadable";

/** An input row or file that was not usable; the stream goes on after it. */
export interface SkipRecord {
  kind: "skip";
  /** `row 17` (0-based data row index) or a path such as `train/foo/x.jpg`. */
  where: string;
  code: SkipCode;
  reason: string;
}

export type DatasetRecord = Fer2013Record | FolderRecord | FerPlusRecord | SkipRecord;

/** What `detectFormat` found. `path` is the file or directory given. */
export type DatasetFormat =
  | {
      content: "fer2013" | "ferplus";
      container: "csv" | "gzip" | "tar" | "tar.gz" | "zip";
      path: string;
      /** The CSV's name inside a tar or zip. */
      entry?: string;
    }
  | {
      content: "folder";
      container: "directory" | "zip";
      path: string;
      /** The prefix holding `train/` and `test/`: `''` or e.g. `archive/`. */
      root: string;
    };

/** Compressed bytes consumed so far and the input's size on disk, for a progress bar. */
export interface Progress {
  bytesRead: number;
  totalBytes: number;
}

export interface OpenDatasetOptions {
  /** Images read and decoded at once for folder inputs; records still come out in order. Default 4. */
  concurrency?: number;
}

/** Records in input order; `progress()` may be called at any time, `close()` ends early and frees files. */
export interface DatasetReader extends AsyncIterable<DatasetRecord> {
  readonly format: DatasetFormat;
  progress(): Progress;
  close(): Promise<void>;
}
