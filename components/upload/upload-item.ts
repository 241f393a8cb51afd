import type { CropBox } from "@/lib/uploads/crop-box";

/** One dropped file on the upload page, from reading it to its outcome. */
export type UploadPhase =
  | "reading"
  | "ready"
  | "processing"
  | "uploading"
  | "checking"
  | "done"
  /** Failed on the way: the crop can be changed and the upload tried again. */
  | "failed"
  /** Refused in the browser before anything happened (type, size, unreadable). */
  | "refused";

export interface UploadItem {
  key: string;
  name: string;
  size: number;
  phase: UploadPhase;
  /** 0..1 of the PUT to storage. */
  progress: number;
  photo?: { bitmap: ImageBitmap; url: string; width: number; height: number };
  box?: CropBox;
  error?: string;
  imageId?: number;
}

export interface UploadedFaceView {
  uploadId: string;
  imageId: number;
  createdAt: string;
}

export const BUSY_PHASES: readonly UploadPhase[] = ["processing", "uploading", "checking"];
