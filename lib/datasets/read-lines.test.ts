import { describe, expect, it } from "vitest";
import { readLines } from "./read-lines";

async function lines(chunks: string[]): Promise<string[]> {
  async function* source() {
    for (const chunk of chunks) yield Buffer.from(chunk);
  }
  const out: string[] = [];
  for await (const line of readLines(source(), "test.csv")) out.push(line.toString());
  return out;
}

describe("readLines", () => {
  it("joins lines split across chunks and strips CRLF", async () => {
    expect(await lines(["a,b\r\nc", "d,e\r", "\nf\n"])).toEqual(["a,b", "cd,e", "f"]);
  });

  it("yields a last line without a newline, and drops empty lines", async () => {
    expect(await lines(["x\n\n", "\r\n\r", "\ny"])).toEqual(["x", "y"]);
  });

  it("gives up on a line longer than 1 MiB", async () => {
    const chunk = "x".repeat(600 * 1024);
    await expect(lines([chunk, chunk])).rejects.toMatchObject({ code: "LINE_TOO_LONG" });
  });
});
