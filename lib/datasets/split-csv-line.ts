const COMMA = 44;
const QUOTE = 34;
const SPACE = 32;

/**
 * Splits one CSV line into field views over the same bytes (no copies on the unquoted path, which is what FER files
 * use). Quoted fields with `""` escapes are handled; a quoted field spanning lines is not, since neither FER-2013 nor
 * FER+ can hold a newline in a field.
 */
export function splitCsvLine(line: Buffer): Buffer[] {
  const fields: Buffer[] = [];
  let i = 0;
  for (;;) {
    let j = i;
    while (line[j] === SPACE) j++;
    if (line[j] === QUOTE) {
      const [field, after] = readQuoted(line, j + 1);
      fields.push(field);
      i = after;
    }
    const comma = line.indexOf(COMMA, i);
    if (comma === -1) {
      if (line[j] !== QUOTE) fields.push(line.subarray(i));
      return fields;
    }
    if (line[j] !== QUOTE) fields.push(line.subarray(i, comma));
    i = comma + 1;
  }
}

/** Reads a quoted field whose content starts at `from`; returns it and the index just past the closing quote. */
function readQuoted(line: Buffer, from: number): [Buffer, number] {
  const parts: Buffer[] = [];
  let start = from;
  for (;;) {
    const quote = line.indexOf(QUOTE, start);
    if (quote === -1) {
      parts.push(line.subarray(start));
      return [join(parts), line.length];
    }
    if (line[quote + 1] === QUOTE) {
      parts.push(line.subarray(start, quote + 1));
      start = quote + 2;
      continue;
    }
    parts.push(line.subarray(start, quote));
    return [join(parts), quote + 1];
  }
}

function join(parts: Buffer[]): Buffer {
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}
