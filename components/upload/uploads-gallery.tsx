import { FaceImage } from "@/components/face-image";
import type { UploadedFaceView } from "./upload-item";

/** The faces this person has uploaded, newest first. */
export function UploadsGallery({ uploads }: { uploads: readonly UploadedFaceView[] }) {
  return (
    <section aria-labelledby="your-uploads" className="mt-10">
      <h2 id="your-uploads" className="mb-2 text-sm font-semibold">
        Your uploads ({uploads.length})
      </h2>
      {uploads.length === 0 ? (
        <p className="text-sm text-neutral-500">No uploads yet.</p>
      ) : (
        <ul className="flex flex-wrap gap-2">
          {uploads.map((upload) => (
            <li
              key={upload.uploadId}
              title={`image #${upload.imageId}, uploaded ${new Date(upload.createdAt).toLocaleString()}`}
            >
              <FaceImage id={upload.imageId} size={72} alt={`your upload, image ${upload.imageId}`} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
