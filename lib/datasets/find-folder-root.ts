import { readdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { DatasetError } from "./dataset-error";
import { isJunkPath } from "./is-junk-path";
import { findMsambareRoot } from "./msambare-path";

/**
 * The prefix (`''` or `archive/`) under which a directory has `train|test/<emotion>/` folders. Only folder names are
 * looked at, three levels deep, so detection stays quick on 35k images.
 */
export async function findFolderRoot(directory: string): Promise<string> {
  const name = basename(directory);
  const folderPaths: string[] = [];
  const files: string[] = [];
  for (const first of await subfolders(directory, files)) {
    for (const second of await subfolders(join(directory, first))) {
      // A placeholder file name lets the path-based root finder judge folders alone.
      folderPaths.push(`${first}/${second}/image`);
      for (const third of await subfolders(join(directory, first, second))) {
        folderPaths.push(`${first}/${second}/${third}/image`);
      }
    }
  }
  const root = findMsambareRoot(folderPaths, name);
  if (root !== null) return root;
  const csv = files.find((file) => file.toLowerCase().endsWith(".csv"));
  const hint = csv ? `; to import ${csv}, pick that file instead of the folder` : "";
  throw new DatasetError(
    `${name} is a folder without the train|test/<emotion>/ layout (also looked one folder deeper)${hint}`,
  );
}

async function subfolders(directory: string, files?: string[]): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  files?.push(...entries.filter((entry) => entry.isFile()).map((entry) => entry.name));
  return entries.filter((entry) => entry.isDirectory() && !isJunkPath(entry.name)).map((entry) => entry.name);
}
