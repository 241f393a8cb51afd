import { EMOTION_LABELS, EMOTIONS } from "@/lib/emotions";
import { Kbd } from "./kbd";

const ROWS: [string, string][] = [
  ...EMOTIONS.map((emotion, i): [string, string] => [String(i + 1), EMOTION_LABELS[emotion]]),
  ["0", "Not a face"],
  ["Enter", "Accept the suggestion (its top class)"],
  ["Space", "Skip this face"],
  ["Z", "Undo the last decision"],
  ["?", "Show or hide these keys"],
  ["Esc", "Close"],
];

export function ShortcutsOverlay({ onClose }: { onClose(): void }) {
  return (
    <div className="fixed inset-0 z-20 flex items-center justify-center bg-black/40" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        className="w-80 rounded-lg bg-white p-5 shadow-xl dark:bg-neutral-900"
        onClick={(event) => event.stopPropagation()}
      >
        <h2 className="mb-3 font-medium">Keyboard shortcuts</h2>
        <dl className="grid grid-cols-[4rem_1fr] gap-y-1.5 text-sm">
          {ROWS.map(([key, action]) => (
            <div key={key} className="contents">
              <dt>
                <Kbd>{key}</Kbd>
              </dt>
              <dd>{action}</dd>
            </div>
          ))}
        </dl>
        <button
          type="button"
          onClick={onClose}
          className="mt-4 rounded bg-neutral-900 px-3 py-1.5 text-sm text-white dark:bg-white dark:text-neutral-900"
        >
          Close
        </button>
      </div>
    </div>
  );
}
