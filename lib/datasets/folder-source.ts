import { lstat, readdir, readFile, realpath, stat } from "node:fs/promises";
import { basename, join, relative, sep } from "node:path";
import { isJunkPath } from "./is-junk-path";
import type { DatasetFormat, SkipRecord } from "./types";
import { listZipEntries, openZip, readZipEntry, type ZipEntry } from "./zip-file";

type FolderFormat = Extract<DatasetFormat, { content: "folder" }>;

/**
 * No 48x48 face file comes near this (an uncompressed 48x48 RGBA PNG is under 10 KB); a bigger file or zip entry is
 * refused before it is read or decoded, so a huge image or a decompression bomb costs nothing.
 */
export const MAX_IMAGE_FILE_BYTES = 1024 * 1024;

export interface SourceFile {
  /** Relative to the directory or zip, `/`-separated. */
  path: string;
  /** Bytes this file accounts for in the progress total (compressed size inside a zip). */
  size: number;
  /** Bytes it holds once read (uncompressed size inside a zip). */
  contentSize: number;
}

/** The files of a directory or zip, sorted by path so that every import of the same input runs in the same order. */
export interface FolderSource {
  files: SourceFile[];
  /** What was found but cannot be read safely (symlinks leaving the folder, dangling links, loops), with why. */
  skipped: SkipRecord[];
  totalBytes: number;
  read(file: SourceFile): Promise<Buffer>;
  close(): Promise<void>;
}

export async function openFolderSource(format: FolderFormat): Promise<FolderSource> {
  return format.container === "zip" ? openZipSource(format.path) : openDirectorySource(format.path);
}

async function openDirectorySource(directory: string): Promise<FolderSource> {
  const root = await realpath(directory);
  const skipped: SkipRecord[] = [];
  const files = (await listFiles(root, "", new Set([root]), skipped)).sort(byPath);
  return {
    files,
    skipped,
    totalBytes: files.reduce((sum, file) => sum + file.size, 0),
    read: (file) => readFile(join(root, ...file.path.split("/"))),
    close: async () => {},
  };
}

/**
 * Walks the folder. Symlinks are followed only while they stay inside the root; a dangling link, a link out of the
 * folder or a loop becomes a skip with its reason rather than an error that stops the import.
 */
async function listFiles(
  directory: string,
  prefix: string,
  visited: Set<string>,
  skipped: SkipRecord[],
): Promise<SourceFile[]> {
  const root = [...visited][0];
  const files: SourceFile[] = [];
  const skip = (where: string, code: SkipRecord["code"], reason: string) =>
    skipped.push({ kind: "skip", where, code, reason });
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    skip(prefix || ".", "unreadable", `cannot list this folder (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    return files;
  }
  for (const dirent of entries) {
    const path = prefix + dirent.name;
    if (isJunkPath(dirent.name)) continue;
    const full = join(directory, dirent.name);
    let target = full;
    if (dirent.isSymbolicLink()) {
      try {
        target = await realpath(full);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        skip(
          path,
          "symlink",
          code === "ELOOP" ? "symbolic link loop" : "dangling symbolic link (its target does not exist)",
        );
        continue;
      }
      const inside = relative(root, target);
      if (inside.startsWith(`..${sep}`) || inside === ".." || inside.startsWith(sep)) {
        skip(path, "symlink", "symbolic link to outside the imported folder: not followed");
        continue;
      }
    }
    let info;
    try {
      info = await (target === full ? lstat(full) : stat(target));
    } catch (error) {
      skip(path, "unreadable", `cannot read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
      continue;
    }
    if (info.isDirectory()) {
      if (visited.has(target)) {
        skip(path, "symlink", "symbolic link back into a folder already read (a loop)");
        continue;
      }
      files.push(...(await listFiles(target, `${path}/`, new Set([...visited, target]), skipped)));
    } else if (info.isFile()) {
      files.push({ path, size: info.size, contentSize: info.size });
    } else {
      skip(path, "unreadable", "not a regular file");
    }
  }
  return files;
}

async function openZipSource(path: string): Promise<FolderSource> {
  const name = basename(path);
  const zip = await openZip(path, name);
  try {
    const entries = new Map<string, ZipEntry>();
    for (const entry of await listZipEntries(zip, name)) {
      if (!isJunkPath(entry.fileName)) entries.set(entry.fileName, entry);
    }
    const files = [...entries.values()].map((entry) => ({
      path: entry.fileName,
      size: entry.compressedSize,
      contentSize: entry.uncompressedSize,
    }));
    return {
      files: files.sort(byPath),
      skipped: [],
      totalBytes: (await stat(path)).size,
      // yauzl checks that an entry inflates to exactly its declared size, so the size limit cannot be lied past.
      read: (file) => readZipEntry(zip, entries.get(file.path)!),
      close: async () => zip.close(),
    };
  } catch (error) {
    zip.close();
    throw error;
  }
}

function byPath(a: SourceFile, b: SourceFile): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
