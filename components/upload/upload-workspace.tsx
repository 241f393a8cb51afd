"use client";

import { type DragEvent, useCallback, useEffect, useRef, useState } from "react";
import { checkSourcePhoto } from "@/lib/uploads/check-source-photo";
import { type CropBox, initialCropBox } from "@/lib/uploads/crop-box";
import { formatBytes, MAX_SOURCE_PHOTO_BYTES, SOURCE_PHOTO_TYPES } from "@/lib/uploads/upload-limits";
import { cropToFacePixels, encodeFacePng } from "./crop-to-face";
import { sendFace } from "./send-face";
import { UploadItemCard } from "./upload-item-card";
import type { UploadedFaceView, UploadItem } from "./upload-item";
import { UploadsGallery } from "./uploads-gallery";

let nextKey = 0;

/**
 * The upload page's client side: drop or pick photos, crop each to a face, upload. Photos are decoded, cropped and
 * converted to 48x48 gray in the browser; only that small PNG is sent, straight to storage with a presigned URL.
 */
export function UploadWorkspace({ initialUploads }: { initialUploads: UploadedFaceView[] }) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const [uploaded, setUploaded] = useState(initialUploads);
  const [dragging, setDragging] = useState(false);
  const [uploadingAll, setUploadingAll] = useState(false);
  const itemsRef = useRef(items);
  useEffect(() => {
    itemsRef.current = items;
  }, [items]);
  useEffect(() => () => itemsRef.current.forEach(release), []);

  const update = useCallback((key: string, patch: Partial<UploadItem>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...patch } : item)));
  }, []);

  async function addFiles(files: File[]) {
    for (const file of files) {
      const key = `file-${nextKey++}`;
      const refusal = checkSourcePhoto(file);
      const item: UploadItem = {
        key,
        name: file.name,
        size: file.size,
        progress: 0,
        phase: refusal ? "refused" : "reading",
      };
      setItems((list) => [...list, refusal ? { ...item, error: refusal } : item]);
      if (refusal) continue;
      try {
        const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
        const photo = { bitmap, url: URL.createObjectURL(file), width: bitmap.width, height: bitmap.height };
        update(key, { phase: "ready", photo, box: initialCropBox(bitmap.width, bitmap.height) });
      } catch {
        update(key, {
          phase: "refused",
          error: "could not read this photo (damaged, or not the image type it claims)",
        });
      }
    }
  }

  async function upload(item: UploadItem) {
    if (!item.photo || !item.box) return;
    update(item.key, { phase: "processing", progress: 0, error: undefined });
    try {
      const png = await encodeFacePng(cropToFacePixels(item.photo.bitmap, item.box));
      const sent = await sendFace(png, (stage) =>
        update(
          item.key,
          stage.stage === "uploading" ? { phase: "uploading", progress: stage.fraction } : { phase: "checking" },
        ),
      );
      update(item.key, { phase: "done", imageId: sent.imageId });
      setUploaded((list) => [
        { uploadId: sent.uploadId, imageId: sent.imageId, createdAt: new Date().toISOString() },
        ...list,
      ]);
    } catch (error) {
      update(item.key, { phase: "failed", error: error instanceof Error ? error.message : String(error) });
    }
  }

  async function uploadAll() {
    setUploadingAll(true);
    try {
      for (const item of itemsRef.current.filter((i) => i.phase === "ready")) await upload(item);
    } finally {
      setUploadingAll(false);
    }
  }

  function remove(item: UploadItem) {
    release(item);
    setItems((list) => list.filter((i) => i.key !== item.key));
  }

  function drop(event: DragEvent<HTMLElement>) {
    event.preventDefault();
    setDragging(false);
    void addFiles([...event.dataTransfer.files]);
  }

  const readyCount = items.filter((i) => i.phase === "ready").length;

  return (
    <>
      <section
        data-testid="drop-zone"
        aria-label="Drop photos here"
        onDragEnter={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragOver={(event) => event.preventDefault()}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={drop}
        className={`rounded-lg border-2 border-dashed p-8 text-center text-sm ${dragging ? "border-sky-500 bg-sky-50 dark:bg-sky-950" : "border-neutral-300 dark:border-neutral-700"}`}
      >
        <p>
          Drop photos here, or{" "}
          <label className="cursor-pointer font-medium underline">
            choose files
            <input
              type="file"
              multiple
              accept={SOURCE_PHOTO_TYPES.join(",")}
              className="sr-only"
              onChange={(event) => {
                void addFiles([...(event.target.files ?? [])]);
                event.target.value = "";
              }}
            />
          </label>
          .
        </p>
        <p className="mt-1 text-xs text-neutral-500">
          JPEG, PNG or WebP, up to {formatBytes(MAX_SOURCE_PHOTO_BYTES)} each. Photos never leave your browser: only the
          48x48 grayscale face you crop is uploaded.
        </p>
      </section>

      {items.length > 0 ? (
        <section aria-label="Files to upload" className="mt-6 space-y-3">
          {readyCount > 1 ? (
            <button
              type="button"
              disabled={uploadingAll}
              onClick={() => void uploadAll()}
              className="rounded bg-neutral-900 px-3 py-1.5 text-sm text-white hover:bg-neutral-700 disabled:opacity-50 dark:bg-white dark:text-neutral-900"
            >
              Upload all {readyCount}
            </button>
          ) : null}
          <ul className="space-y-3">
            {items.map((item) => (
              <UploadItemCard
                key={item.key}
                item={item}
                onCrop={(box: CropBox) => update(item.key, { box })}
                onUpload={() => void upload(item)}
                onRemove={() => remove(item)}
              />
            ))}
          </ul>
        </section>
      ) : null}

      <UploadsGallery uploads={uploaded} />
    </>
  );
}

function release(item: UploadItem): void {
  if (!item.photo) return;
  item.photo.bitmap.close();
  URL.revokeObjectURL(item.photo.url);
}
