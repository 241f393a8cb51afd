import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { isJunkPath } from "./is-junk-path";
import type { DatasetFormat } from "./types";
import { listZipEntries, openZip, readZipEntry, type ZipEntry } from "./zip-file";

type FolderFormat = Extract<DatasetFormat, { content: "folder" }>;

export interface SourceFile {
  /** Relative to the directory or zip, `/`-separated. */
  path: string;
  /** Bytes this file accounts for in the progress total (compressed size inside a zip). */
  size: number;
}

/** The files of a directory or zip, sorted by path so that every import of the same input runs in the same order. */
export interface FolderSource {
  files: SourceFile[];
  totalBytes: number;
  read(file: SourceFile): Promise<Buffer>;
  close(): Promise<void>;
}

export async function openFolderSource(format: FolderFormat): Promise<FolderSource> {
  return format.container === "zip" ? openZipSource(format.path) : openDirectorySource(format.path);
}

async function openDirectorySource(directory: string): Promise<FolderSource> {
  const files = (await listFiles(directory, "")).sort(byPath);
  return {
    files,
    totalBytes: files.reduce((sum, file) => sum + file.size, 0),
    read: (file) => readFile(join(directory, ...file.path.split("/"))),
    close: async () => {},
  };
}

async function listFiles(directory: string, prefix: string): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for (const dirent of await readdir(directory, { withFileTypes: true })) {
    const path = prefix + dirent.name;
    if (isJunkPath(dirent.name)) continue;
    const full = join(directory, dirent.name);
    const isDirectory = dirent.isDirectory() || (dirent.isSymbolicLink() && (await stat(full)).isDirectory());
    if (isDirectory) files.push(...(await listFiles(full, `${path}/`)));
    else files.push({ path, size: (await stat(full)).size });
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
    const files = [...entries.values()].map((entry) => ({ path: entry.fileName, size: entry.compressedSize }));
    return {
      files: files.sort(byPath),
      totalBytes: (await stat(path)).size,
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
