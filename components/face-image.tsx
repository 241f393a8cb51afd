/** A stored face, scaled up without blur. */
export function FaceImage({ id, size = 96, alt }: { id: number; size?: number; alt?: string }) {
  return (
    // eslint-disable-next-line @next/next/no-img-element -- 48x48 PNGs need no optimisation pipeline
    <img
      src={`/api/images/${id}`}
      width={size}
      height={size}
      alt={alt ?? `face ${id}`}
      className="face-pixels rounded bg-neutral-200 dark:bg-neutral-800"
      loading="lazy"
    />
  );
}
