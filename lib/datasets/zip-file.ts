import type { Readable } from "node:stream";
import yauzl from "yauzl";
import { DatasetError } from "./dataset-error";

export type ZipFile = yauzl.ZipFile;
export type ZipEntry = yauzl.Entry;

/** Opens a zip for random access; autoClose is off because entries are read after the listing has finished. */
export function openZip(path: string, name: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) => {
      if (error) reject(new DatasetError(`${name} is not a readable zip file: ${error.message}`, { cause: error }));
      else resolve(zip);
    });
  });
}

/** Every file entry (directories left out), in central-directory order. */
export function listZipEntries(zip: ZipFile, name: string): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    const entries: ZipEntry[] = [];
    zip.on("entry", (entry: ZipEntry) => {
      if (!entry.fileName.endsWith("/")) entries.push(entry);
      zip.readEntry();
    });
    zip.once("end", () => resolve(entries));
    zip.once("error", (error: Error) => {
      reject(new DatasetError(`${name} is a corrupt zip: ${error.message}`, { cause: error }));
    });
    zip.readEntry();
  });
}

export function openZipEntry(zip: ZipFile, entry: ZipEntry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
}

export async function readZipEntry(zip: ZipFile, entry: ZipEntry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await openZipEntry(zip, entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
