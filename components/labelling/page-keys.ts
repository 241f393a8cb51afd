/**
 * What a key press means on the labelling page. The page's shortcuts act on the face; a focused control keeps its
 * own keys: Enter or Space on a focused button presses that button (never "accept the suggestion" or "skip"), and
 * keys typed into a field are the field's.
 */
export type PageKeyAction =
  | { kind: "decide"; label: number }
  | { kind: "accept" }
  | { kind: "skip" }
  | { kind: "undo" }
  | { kind: "toggle-help" }
  | { kind: "close-help" }
  /** Swallowed: a held-down Enter or Space on a button would press it again and again. */
  | { kind: "ignore" };

export interface PageKeyEvent {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  repeat: boolean;
  target: EventTarget | null;
}

const TYPING = new Set(["INPUT", "TEXTAREA", "SELECT"]);
const CONTROLS = new Set(["BUTTON", "A", "SUMMARY"]);
const CONTROL_ROLES = new Set(["button", "link", "tab", "menuitem", "checkbox", "radio", "switch", "option"]);

interface ElementLike {
  tagName?: string;
  isContentEditable?: boolean;
  getAttribute?(name: string): string | null;
}

/** Null: the page leaves the key to the browser (and to whatever has focus). */
export function pageKeyAction(event: PageKeyEvent, helpShown: boolean): PageKeyAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const target = event.target as ElementLike | null;
  const tag = target?.tagName?.toUpperCase() ?? "";
  if (target?.isContentEditable || TYPING.has(tag)) return null;
  const onControl = CONTROLS.has(tag) || CONTROL_ROLES.has(target?.getAttribute?.("role") ?? "");
  const { key } = event;
  if (key === "Enter" || key === " ") {
    if (onControl) return event.repeat ? { kind: "ignore" } : null;
    if (event.repeat) return { kind: "ignore" };
  }
  if (event.repeat) return null;
  if (key === "?") return { kind: "toggle-help" };
  if (key === "Escape" && helpShown) return { kind: "close-help" };
  if (helpShown) return null;
  if (key >= "1" && key <= "7" && key.length === 1) return { kind: "decide", label: Number(key) - 1 };
  if (key === "0") return { kind: "decide", label: -1 };
  if (key === "Enter") return { kind: "accept" };
  if (key === " ") return { kind: "skip" };
  if (key === "z" || key === "Z") return { kind: "undo" };
  return null;
}
