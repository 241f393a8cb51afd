const NEWLINE = 10;
const CR = 13;
// Far above a FER-2013 row (~9 KB); a longer "line" means the input is not one of our CSVs.
const MAX_LINE_BYTES = 1 << 20;
export const LINE_TOO_LONG = "LINE_TOO_LONG";

/**
 * Splits a byte stream into lines without the `\n` or `\r\n`. Yielded buffers may share memory with the input
 * chunks: use them before asking for the next line. A last line without a newline is yielded too. Blank lines are
 * dropped here, without a yield each, so a file of nothing but newlines goes by at the speed of the decompressor.
 */
export async function* readLines(chunks: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of chunks) {
    let start = 0;
    let newline = chunk.indexOf(NEWLINE);
    if (newline !== -1 && pending.length > 0) {
      pending.push(chunk.subarray(0, newline));
      const line = withoutCr(Buffer.concat(pending));
      if (line.length > 0) yield line;
      pending = [];
      pendingBytes = 0;
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    while (newline !== -1) {
      if (newline > start + 1 || (newline === start + 1 && chunk[start] !== CR))
        yield withoutCr(chunk.subarray(start, newline));
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > MAX_LINE_BYTES) {
        throw Object.assign(new Error(`${name} has a line longer than 1 MiB`), { code: LINE_TOO_LONG });
      }
    }
  }
  if (pending.length > 0) {
    const line = withoutCr(Buffer.concat(pending));
    if (line.length > 0) yield line;
  }
}

function withoutCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
}
