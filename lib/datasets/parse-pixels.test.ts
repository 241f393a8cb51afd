import { describe, expect, it } from "vitest";
import { parsePixels } from "./parse-pixels";
import { facePixels, pixelText } from "./testing/fixtures";

const parse = (text: string) => parsePixels(Buffer.from(text));

describe("parsePixels", () => {
  it("reads 2304 space-separated values into a Uint8Array", () => {
    const result = parse(pixelText(3));
    expect(result).toEqual({ pixels: facePixels(3) });
  });

  it("tolerates extra spaces and tabs between and around values", () => {
    const result = parse(`  ${pixelText(1).replaceAll(" ", " \t ")}  `);
    expect("pixels" in result && result.pixels).toEqual(facePixels(1));
  });

  it("reports a wrong pixel count", () => {
    const short = pixelText(0).split(" ").slice(0, 2303).join(" ");
    expect(parse(short)).toEqual({ code: "pixel-count", reason: "expected 2304 pixels, got 2303" });
    expect(parse(`${pixelText(0)} 1`)).toEqual({ code: "pixel-count", reason: "expected 2304 pixels, got 2305" });
    expect(parse("")).toEqual({ code: "pixel-count", reason: "expected 2304 pixels, got 0" });
  });

  it("reports a value above 255 with its position", () => {
    const values = pixelText(0).split(" ");
    values[17] = "300";
    expect(parse(values.join(" "))).toEqual({ code: "pixel-value", reason: "pixel 17 is 300, above 255" });
  });

  it("reports non-numeric, negative and fractional values", () => {
    const at = (token: string) => {
      const values = pixelText(0).split(" ");
      values[5] = token;
      return parse(values.join(" "));
    };
    expect(at("abc")).toEqual({ code: "pixel-value", reason: 'pixel 5 is "abc", not a whole number 0..255' });
    expect(at("-3")).toEqual({ code: "pixel-value", reason: 'pixel 5 is "-3", not a whole number 0..255' });
    expect(at("1.5")).toEqual({ code: "pixel-value", reason: 'pixel 5 is "1.5", not a whole number 0..255' });
  });
});
