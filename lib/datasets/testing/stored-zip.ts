import { deflateRawSync } from "node:zlib";

/**
 * A minimal zip writer for test fixtures (nothing installed writes zips, and the system `zip` may be missing).
 * Entries are stored, or deflated with zlib when `deflate` is set; no zip64, no timestamps, no extra fields.
 */
export interface ZipFixtureEntry {
  name: string;
  data: Buffer | string;
  deflate?: boolean;
}

export function buildZip(entries: readonly ZipFixtureEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const data = Buffer.from(entry.data);
    const body = entry.deflate ? deflateRawSync(data) : data;
    const fields = { method: entry.deflate ? 8 : 0, crc: crc32(data), compressed: body.length, size: data.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    writeCommon(local, 6, fields, name.length);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6);
    writeCommon(central, 8, fields, name.length);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

type Fields = { method: number; crc: number; compressed: number; size: number };

/** Writes the run shared by local and central headers: flags, method, time, date, crc, sizes, name length. */
function writeCommon(header: Buffer, at: number, fields: Fields, nameLength: number) {
  header.writeUInt16LE(0, at); // flags
  header.writeUInt16LE(fields.method, at + 2);
  header.writeUInt32LE(0, at + 4); // dos time and date
  header.writeUInt32LE(fields.crc, at + 8);
  header.writeUInt32LE(fields.compressed, at + 12);
  header.writeUInt32LE(fields.size, at + 16);
  header.writeUInt16LE(nameLength, at + 20);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
