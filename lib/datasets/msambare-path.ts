import { fromFolderName, type EmotionIndex } from "../emotions";
import { DatasetError } from "./dataset-error";
import type { SkipCode, Split } from "./types";
import { splitFromFileName } from "./usage-split";

const SPLIT_FOLDERS: Record<string, Split> = { train: "train", test: "test" };
export const IMAGE_EXTENSIONS = [".jpg", ".jpeg", ".png"];

export type PathMeaning = { label: EmotionIndex; split: Split } | { code: SkipCode; reason: string };

export function isSplitFolder(name: string): boolean {
  return name.toLowerCase() in SPLIT_FOLDERS;
}

/**
 * Reads label and split from a path below the layout's root, `train|test/<emotion>/<file>`.
 * The split comes from the file-name prefix when there is one (Kaggle's `test/` mixes `PublicTest_` and
 * `PrivateTest_` files, and the prefix is FER-2013's own Usage, so a folder import splits like a CSV import);
 * otherwise from the folder.
 */
export function readImagePath(pathBelowRoot: string): PathMeaning {
  const parts = pathBelowRoot.split("/");
  const fileName = parts[parts.length - 1];
  const dot = fileName.lastIndexOf(".");
  if (dot < 0 || !IMAGE_EXTENSIONS.includes(fileName.slice(dot).toLowerCase())) {
    return { code: "not-an-image", reason: "not a .jpg or .png file" };
  }
  if (parts.length !== 3) {
    return { code: "folder", reason: "expected train/<emotion>/<image> or test/<emotion>/<image>" };
  }
  const [splitFolder, emotionFolder] = parts;
  const folderSplit = SPLIT_FOLDERS[splitFolder.toLowerCase()];
  if (!folderSplit) return { code: "folder", reason: `unknown split folder "${splitFolder}" (expected train or test)` };
  const label = fromFolderName(emotionFolder);
  if (label === null) return { code: "folder", reason: `unknown emotion folder "${emotionFolder}"` };
  return { label, split: splitFromFileName(fileName) ?? folderSplit };
}

/**
 * The prefix (`''` or one folder, e.g. `archive/`) under which these file paths follow the msambare layout, or null.
 * Throws when two different one-level prefixes both do, since either could be meant.
 */
export function findMsambareRoot(paths: readonly string[], name: string): string | null {
  const roots = new Set<string>();
  for (const path of paths) {
    const parts = path.split("/");
    for (const depth of [0, 1]) {
      if (parts.length === depth + 3 && isSplitFolder(parts[depth]) && fromFolderName(parts[depth + 1]) !== null) {
        roots.add(depth === 0 ? "" : `${parts[0]}/`);
      }
    }
  }
  if (roots.has("")) return "";
  if (roots.size > 1) {
    const found = [...roots].join(", ");
    throw new DatasetError(
      `${name} holds the train/test folder layout in several folders (${found}); open one of them`,
    );
  }
  return roots.size === 1 ? [...roots][0] : null;
}
