"use client";

import { useEffect, useRef } from "react";
import { FaceImage } from "@/components/face-image";
import type { CropBox } from "@/lib/uploads/crop-box";
import { formatBytes } from "@/lib/uploads/upload-limits";
import { cropToFacePixels, paintFace } from "./crop-to-face";
import { PhotoCropper } from "./photo-cropper";
import { BUSY_PHASES, type UploadItem } from "./upload-item";

const PREVIEW_DELAY_MS = 40;

/** One file: its photo and crop box, the 48x48 face that will be uploaded, and where its upload stands. */
export function UploadItemCard(props: {
  item: UploadItem;
  onCrop: (box: CropBox) => void;
  onUpload: () => void;
  onRemove: () => void;
}) {
  const { item, onCrop, onUpload, onRemove } = props;
  const busy = BUSY_PHASES.includes(item.phase);
  const editable = item.phase === "ready" || item.phase === "failed";

  return (
    <li
      aria-label={item.name}
      data-phase={item.phase}
      className="flex flex-wrap items-start gap-4 rounded border border-neutral-200 bg-white p-3 dark:border-neutral-800 dark:bg-neutral-950"
    >
      {item.photo && item.box && item.phase !== "done" ? (
        <PhotoCropper
          src={item.photo.url}
          width={item.photo.width}
          height={item.photo.height}
          box={item.box}
          onChange={onCrop}
          disabled={!editable}
          name={item.name}
        />
      ) : null}
      {item.photo && item.box && item.phase !== "done" ? (
        <FacePreview photo={item.photo.bitmap} box={item.box} />
      ) : null}
      {item.phase === "done" && item.imageId ? (
        <FaceImage id={item.imageId} size={96} alt={`uploaded face ${item.imageId}`} />
      ) : null}

      <div className="min-w-48 flex-1 space-y-2 text-sm">
        <p className="font-medium break-all">
          {item.name} <span className="font-normal text-neutral-500">({formatBytes(item.size)})</span>
        </p>
        <ItemStatus item={item} />
        <div className="flex gap-2">
          {editable ? (
            <button
              type="button"
              onClick={onUpload}
              className="rounded bg-neutral-900 px-3 py-1.5 text-white hover:bg-neutral-700 dark:bg-white dark:text-neutral-900"
            >
              {item.phase === "failed" ? "Try again" : "Upload face"}
            </button>
          ) : null}
          {busy ? null : (
            <button
              type="button"
              onClick={onRemove}
              className="rounded px-3 py-1.5 text-neutral-600 hover:bg-neutral-100 dark:text-neutral-300 dark:hover:bg-neutral-800"
            >
              {item.phase === "done" ? "Dismiss" : "Remove"}
            </button>
          )}
        </div>
      </div>
    </li>
  );
}

function ItemStatus({ item }: { item: UploadItem }) {
  const percent = Math.round(item.progress * 100);
  switch (item.phase) {
    case "reading":
      return <p role="status">Reading the photo…</p>;
    case "ready":
      return (
        <p role="status" className="text-neutral-600 dark:text-neutral-400">
          Ready: put the box over the face (drag it, drag a corner to resize; arrow keys and + / − work too).
        </p>
      );
    case "processing":
      return <p role="status">Processing…</p>;
    case "uploading":
      return (
        <div role="status" className="space-y-1">
          <p>Uploading {percent}%</p>
          <progress value={percent} max={100} className="h-2 w-48" aria-label={`upload of ${item.name}`} />
        </div>
      );
    case "checking":
      return <p role="status">Checking…</p>;
    case "done":
      return (
        <p role="status" className="text-emerald-700 dark:text-emerald-400">
          Done: image #{item.imageId} is in the labelling queue.
        </p>
      );
    case "failed":
    case "refused":
      return (
        <p role="alert" className="text-red-700 dark:text-red-400">
          {item.phase === "failed" ? "Failed: " : "Refused: "}
          {item.error}
        </p>
      );
  }
}

/** The face exactly as it will be uploaded, redrawn once the crop has stopped changing for a moment. */
function FacePreview({ photo, box }: { photo: ImageBitmap; box: CropBox }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const timer = setTimeout(() => {
      try {
        if (canvasRef.current) paintFace(canvasRef.current, cropToFacePixels(photo, box));
      } catch {
        // The photo was just removed (its bitmap closed): nothing left to preview.
      }
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [photo, box]);
  return (
    <figure className="space-y-1 text-center text-xs text-neutral-500">
      <canvas
        ref={canvasRef}
        width={48}
        height={48}
        aria-label="48x48 preview of the face to upload"
        className="face-pixels h-24 w-24 rounded bg-neutral-200 dark:bg-neutral-800"
      />
      <figcaption>48x48, gray</figcaption>
    </figure>
  );
}
