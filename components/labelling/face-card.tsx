import Link from "next/link";
import type { CardView } from "./labelling-session";

export const FACE_DISPLAY_PX = 384;

/** The face to decide on, 48x48 scaled 8x without smoothing, with a link to its history. */
export function FaceCard({ card }: { card: CardView }) {
  const { item, imageSrc, imageError } = card;
  return (
    <figure className="w-fit">
      {imageSrc ? (
        // eslint-disable-next-line @next/next/no-img-element -- a blob URL of a prefetched 48x48 PNG
        <img
          src={imageSrc}
          width={FACE_DISPLAY_PX}
          height={FACE_DISPLAY_PX}
          alt={`Face ${item.imageId}`}
          data-testid="label-face"
          data-image-id={item.imageId}
          data-blind={item.blind}
          className="face-pixels rounded-lg bg-neutral-200 dark:bg-neutral-800"
          style={{ width: FACE_DISPLAY_PX, height: FACE_DISPLAY_PX }}
        />
      ) : (
        <div
          className="flex items-center justify-center rounded-lg bg-neutral-200 text-sm text-neutral-500 dark:bg-neutral-800"
          style={{ width: FACE_DISPLAY_PX, height: FACE_DISPLAY_PX }}
        >
          Loading face …
        </div>
      )}
      <figcaption className="mt-2 flex items-center justify-between text-xs text-neutral-500">
        <span>
          Face {item.imageId}
          {item.blind ? " · blind item" : ""}
        </span>
        <Link href={`/items/${item.imageId}`} className="underline hover:text-neutral-800 dark:hover:text-neutral-200">
          History of this face
        </Link>
      </figcaption>
      {imageError ? <p className="mt-1 text-xs text-red-600">{imageError} (Space skips it)</p> : null}
    </figure>
  );
}
