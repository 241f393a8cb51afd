import { describe, expect, it } from "vitest";
import { pageKeyAction, type PageKeyEvent } from "./page-keys";

const element = (tagName: string, attributes: Record<string, string> = {}) => ({
  tagName,
  isContentEditable: false,
  getAttribute: (name: string) => attributes[name] ?? null,
});

function press(key: string, target: unknown = element("BODY"), extra: Partial<PageKeyEvent> = {}) {
  return pageKeyAction(
    { key, ctrlKey: false, metaKey: false, altKey: false, repeat: false, target: target as EventTarget, ...extra },
    false,
  );
}

describe("pageKeyAction", () => {
  it("maps the shortcuts when nothing in particular has focus", () => {
    expect(press("4")).toEqual({ kind: "decide", label: 3 });
    expect(press("0")).toEqual({ kind: "decide", label: -1 });
    expect(press("Enter")).toEqual({ kind: "accept" });
    expect(press(" ")).toEqual({ kind: "skip" });
    expect(press("Z")).toEqual({ kind: "undo" });
    expect(press("?")).toEqual({ kind: "toggle-help" });
  });

  it("leaves Enter and Space to a focused button or link, so it presses what has focus", () => {
    for (const target of [element("BUTTON"), element("A"), element("DIV", { role: "button" })]) {
      expect(press("Enter", target)).toBeNull();
      expect(press(" ", target)).toBeNull();
      // Number keys still label the face.
      expect(press("2", target)).toEqual({ kind: "decide", label: 1 });
    }
  });

  it("swallows a held-down Enter or Space instead of pressing a button again and again", () => {
    expect(press("Enter", element("BUTTON"), { repeat: true })).toEqual({ kind: "ignore" });
    expect(press(" ", element("BODY"), { repeat: true })).toEqual({ kind: "ignore" });
    expect(press("3", element("BODY"), { repeat: true })).toBeNull();
  });

  it("ignores keys typed into fields and keys with modifiers", () => {
    expect(press("1", element("INPUT"))).toBeNull();
    expect(press("Enter", element("TEXTAREA"))).toBeNull();
    expect(press("1", element("BODY"), { ctrlKey: true })).toBeNull();
  });

  it("while the keys are shown, only ? and Escape act", () => {
    const event = { key: "1", ctrlKey: false, metaKey: false, altKey: false, repeat: false, target: null };
    expect(pageKeyAction(event, true)).toBeNull();
    expect(pageKeyAction({ ...event, key: "Escape" }, true)).toEqual({ kind: "close-help" });
  });
});
