import { type EmotionIndex, NUM_EMOTIONS } from "../emotions";
import { mulberry32 } from "../random";
import { FACE_PIXELS, FACE_SIZE } from "./face-format";

/**
 * Synthetic 48x48 grayscale cartoon faces, one look per canonical emotion (brows, eyes and mouth change), with
 * random pose, size, lighting and noise. They seed the demo install and give tests data a model can learn from,
 * without any real FER-2013 image in the repository.
 */

/** Seeded, so fixtures are the same on every run. */
export const seededRandom = mulberry32;

interface Look {
  /** Brow tilt (positive: inner ends lower, as in anger) and height above the eyes. */
  browTilt: number;
  browLift: number;
  eyeOpen: number;
  /** Mouth curvature (positive: smile), width, and how open it is. */
  mouthCurve: number;
  mouthWidth: number;
  mouthOpen: number;
  asymmetry: number;
}

const LOOKS: Record<EmotionIndex, Look> = {
  0: { browTilt: 2.5, browLift: 2.5, eyeOpen: 1.2, mouthCurve: -0.5, mouthWidth: 7, mouthOpen: 0, asymmetry: 0 }, // angry
  1: { browTilt: 1, browLift: 3, eyeOpen: 1.1, mouthCurve: -1.5, mouthWidth: 6, mouthOpen: 0, asymmetry: 2.5 }, // disgust
  2: { browTilt: -2, browLift: 5, eyeOpen: 2.6, mouthCurve: -1, mouthWidth: 7, mouthOpen: 2, asymmetry: 0 }, // fear
  3: { browTilt: 0, browLift: 3.5, eyeOpen: 1.3, mouthCurve: 3, mouthWidth: 9, mouthOpen: 1, asymmetry: 0 }, // happy
  4: { browTilt: -2.5, browLift: 3.5, eyeOpen: 1.4, mouthCurve: -3, mouthWidth: 7, mouthOpen: 0, asymmetry: 0 }, // sad
  5: { browTilt: 0, browLift: 6, eyeOpen: 2.8, mouthCurve: 0, mouthWidth: 4, mouthOpen: 4, asymmetry: 0 }, // surprise
  6: { browTilt: 0, browLift: 3.5, eyeOpen: 1.6, mouthCurve: 0, mouthWidth: 7, mouthOpen: 0, asymmetry: 0 }, // neutral
};

function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Draws one face; `random` supplies the variation. */
export function syntheticFace(label: EmotionIndex, random: () => number): Uint8Array {
  const look = LOOKS[label];
  const jitter = (amount: number) => (random() * 2 - 1) * amount;
  const cx = 24 + jitter(3);
  const cy = 25 + jitter(3);
  const scale = 1 + jitter(0.12);
  const skin = 150 + jitter(40);
  const background = 60 + jitter(50);
  const light = jitter(1.2);
  const ink = Math.max(0, skin - 110 + jitter(15));
  const eyeY = cy - 5 * scale;
  const eyeDx = 7 * scale;
  const mouthY = cy + 9 * scale;
  const pixels = new Uint8Array(FACE_PIXELS);

  for (let y = 0; y < FACE_SIZE; y++) {
    for (let x = 0; x < FACE_SIZE; x++) {
      const fx = (x - cx) / (16 * scale);
      const fy = (y - cy) / (20 * scale);
      const inFace = fx * fx + fy * fy <= 1;
      let value = inFace ? skin + light * (x - cx) : background + (y / FACE_SIZE) * 20;

      if (inFace) {
        for (const side of [-1, 1]) {
          const ex = cx + side * eyeDx;
          // Eyes: dark ellipses whose height says how wide open they are.
          const ey = (y - eyeY) / (look.eyeOpen * scale);
          const exn = (x - ex) / (2.6 * scale);
          if (exn * exn + ey * ey <= 1) value = ink;
          // Brows: a thick segment, tilted toward the nose for anger, away for sadness and fear.
          const lift = (look.browLift + (side === 1 ? look.asymmetry : 0)) * scale;
          const inner = { x: cx + side * 2.5 * scale, y: eyeY - lift + look.browTilt };
          const outer = { x: cx + side * 10 * scale, y: eyeY - lift - look.browTilt * 0.4 };
          if (distanceToSegment(x, y, inner.x, inner.y, outer.x, outer.y) < 1.1 * scale) value = ink;
        }
        // Mouth: a parabola (smile or frown), filled when open.
        const mx = (x - cx) / (look.mouthWidth * scale);
        if (Math.abs(mx) <= 1) {
          const curveY = mouthY + look.mouthCurve * scale * (1 - mx * mx) + look.asymmetry * mx;
          const halfOpen = look.mouthOpen * scale * Math.sqrt(Math.max(0, 1 - mx * mx));
          if (Math.abs(y - curveY) <= Math.max(0.9 * scale, halfOpen)) value = ink * 0.6;
        }
      }
      pixels[y * FACE_SIZE + x] = Math.max(0, Math.min(255, Math.round(value + jitter(12))));
    }
  }
  return pixels;
}

export interface SyntheticSample {
  label: EmotionIndex;
  pixels: Uint8Array;
}

/** `count` faces with labels cycling through the seven classes, deterministic for a given seed. */
export function syntheticFaces(count: number, seed = 1): SyntheticSample[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const label = (i % NUM_EMOTIONS) as EmotionIndex;
    return { label, pixels: syntheticFace(label, random) };
  });
}
