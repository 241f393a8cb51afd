"use client";

import Link from "next/link";
import { useRef } from "react";
import type { CardView } from "./labelling-session";

/** A sideways drag of at least this many CSS pixels (and mostly sideways) skips the face. */
const SWIPE_PX = 70;

/**
 * The face to decide on: square, as wide as the column allows (up to 24rem), 48x48 scaled without smoothing, with a
 * link to its history. Swiping it sideways skips it (touch screens; a mouse drag does the same).
 */
export function FaceCard({ card, onSwipe }: { card: CardView; onSwipe?: () => void }) {
  const { item, imageSrc, imageError } = card;
  const start = useRef<{ x: number; y: number; id: number } | null>(null);
  const face = useRef<HTMLDivElement>(null);
  const move = (dx: number) => {
    if (face.current) face.current.style.transform = dx === 0 ? "" : `translateX(${dx}px) rotate(${dx / 40}deg)`;
  };
  return (
    <figure className="w-full max-w-96">
      <div
        ref={face}
        className="aspect-square w-full touch-pan-y select-none transition-transform duration-75"
        onPointerDown={(event) => {
          if (!onSwipe) return;
          start.current = { x: event.clientX, y: event.clientY, id: event.pointerId };
        }}
        onPointerMove={(event) => {
          if (start.current?.id === event.pointerId) move(event.clientX - start.current.x);
        }}
        onPointerUp={(event) => {
          const from = start.current;
          start.current = null;
          move(0);
          if (!from || from.id !== event.pointerId) return;
          const dx = event.clientX - from.x;
          const dy = event.clientY - from.y;
          if (Math.abs(dx) >= SWIPE_PX && Math.abs(dx) > 2 * Math.abs(dy)) onSwipe?.();
        }}
        onPointerCancel={() => {
          start.current = null;
          move(0);
        }}
      >
        {imageSrc ? (
          // eslint-disable-next-line @next/next/no-img-element -- a 48x48 PNG (or its prefetched blob URL), upscaled
          <img
            src={imageSrc}
            width={384}
            height={384}
            alt={`Face ${item.imageId}`}
            draggable={false}
            // Element Timing: when the face is painted (read by the first-face benchmark).
            {...{ elementtiming: "label-face" }}
            data-testid="label-face"
            data-image-id={item.imageId}
            data-blind={item.blind}
            className="face-pixels h-full w-full rounded-lg bg-neutral-200 dark:bg-neutral-800"
          />
        ) : (
          <div className="flex h-full w-full items-center justify-center rounded-lg bg-neutral-200 text-sm text-neutral-500 dark:bg-neutral-800">
            Loading face …
          </div>
        )}
      </div>
      <figcaption className="mt-1.5 flex items-center justify-between gap-2 text-xs text-neutral-500">
        <span>
          Face {item.imageId}
          {item.blind ? " · blind item" : ""}
        </span>
        <Link href={`/items/${item.imageId}`} className="underline hover:text-neutral-800 dark:hover:text-neutral-200">
          History of this face
        </Link>
      </figcaption>
      {imageError ? <p className="mt-1 text-xs text-red-600">{imageError} (skip it)</p> : null}
    </figure>
  );
}
