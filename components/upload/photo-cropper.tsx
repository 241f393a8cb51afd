"use client";

import { type KeyboardEvent, type PointerEvent, useRef } from "react";
import { type CropBox, type CropCorner, dragCropCorner, moveCropBox, scaleCropBox } from "@/lib/uploads/crop-box";

const DISPLAY_SIZE = 360;
const CORNERS: CropCorner[] = ["nw", "ne", "sw", "se"];

interface Drag {
  mode: "move" | CropCorner;
  startX: number;
  startY: number;
  startBox: CropBox;
}

/**
 * The photo with a square crop box: drag the box to move it, drag a corner to resize it; with the keyboard, arrow
 * keys move it (Shift: faster) and + / - resize it. Everything outside the box is dimmed.
 */
export function PhotoCropper(props: {
  src: string;
  width: number;
  height: number;
  box: CropBox;
  onChange: (box: CropBox) => void;
  disabled?: boolean;
  name: string;
}) {
  const { src, width, height, box, onChange, disabled, name } = props;
  const scale = Math.min(DISPLAY_SIZE / Math.max(width, height), 4);
  const containerRef = useRef<HTMLDivElement>(null);
  const drag = useRef<Drag | null>(null);

  function start(event: PointerEvent<HTMLElement>, mode: Drag["mode"]) {
    if (disabled || event.button !== 0) return;
    event.preventDefault();
    event.stopPropagation();
    event.currentTarget.setPointerCapture(event.pointerId);
    event.currentTarget.closest<HTMLElement>("[data-crop-box]")?.focus();
    drag.current = { mode, startX: event.clientX, startY: event.clientY, startBox: box };
  }

  function move(event: PointerEvent<HTMLElement>) {
    const current = drag.current;
    if (!current) return;
    if (current.mode === "move") {
      const dx = (event.clientX - current.startX) / scale;
      const dy = (event.clientY - current.startY) / scale;
      onChange(moveCropBox(current.startBox, dx, dy, width, height));
    } else {
      const rect = containerRef.current!.getBoundingClientRect();
      const px = (event.clientX - rect.left) / scale;
      const py = (event.clientY - rect.top) / scale;
      onChange(dragCropCorner(current.startBox, current.mode, px, py, width, height));
    }
  }

  function end() {
    drag.current = null;
  }

  function key(event: KeyboardEvent<HTMLElement>) {
    if (disabled) return;
    const step = Math.max(1, Math.round(box.size * (event.shiftKey ? 0.1 : 0.02)));
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    let next: CropBox | null = null;
    if (moves[event.key]) next = moveCropBox(box, ...moves[event.key], width, height);
    else if (event.key === "+" || event.key === "=") next = scaleCropBox(box, 1.1, width, height);
    else if (event.key === "-" || event.key === "_") next = scaleCropBox(box, 1 / 1.1, width, height);
    if (!next) return;
    event.preventDefault();
    onChange(next);
  }

  return (
    <div
      ref={containerRef}
      className={`relative shrink-0 touch-none select-none overflow-hidden rounded bg-neutral-200 dark:bg-neutral-800 ${disabled ? "opacity-60" : ""}`}
      style={{ width: Math.round(width * scale), height: Math.round(height * scale) }}
      onPointerMove={move}
      onPointerUp={end}
      onPointerCancel={end}
    >
      {/* eslint-disable-next-line @next/next/no-img-element -- a local object URL, never optimised */}
      <img src={src} alt={`photo ${name}`} draggable={false} className="pointer-events-none block h-full w-full" />
      <div
        data-crop-box
        tabIndex={disabled ? -1 : 0}
        role="group"
        aria-label={`crop box for ${name}: drag to move, drag a corner to resize; arrow keys move, + and - resize`}
        data-crop={`${box.x},${box.y},${box.size}`}
        className={`absolute outline-none ring-2 ring-white focus-visible:ring-sky-400 ${disabled ? "" : "cursor-move"}`}
        style={{
          left: box.x * scale,
          top: box.y * scale,
          width: box.size * scale,
          height: box.size * scale,
          boxShadow: "0 0 0 9999px rgba(0, 0, 0, 0.5)",
        }}
        onPointerDown={(event) => start(event, "move")}
        onKeyDown={key}
      >
        {/* A face guide: eyes about 40% down, chin near the bottom, as in FER-2013 crops. */}
        <div className="pointer-events-none absolute inset-[12%] rounded-[50%] border border-dashed border-white/50" />
        {disabled
          ? null
          : CORNERS.map((corner) => (
              <span
                key={corner}
                data-corner={corner}
                aria-hidden
                className={`absolute h-3.5 w-3.5 border border-neutral-800 bg-white ${corner === "nw" || corner === "se" ? "cursor-nwse-resize" : "cursor-nesw-resize"}`}
                style={{
                  // Inside the box, so a box at the photo's edge keeps its handles visible.
                  [corner.includes("n") ? "top" : "bottom"]: -1,
                  [corner.includes("w") ? "left" : "right"]: -1,
                }}
                onPointerDown={(event) => start(event, corner)}
              />
            ))}
      </div>
    </div>
  );
}
