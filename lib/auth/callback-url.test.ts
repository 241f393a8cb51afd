import { describe, expect, it } from "vitest";
import { resolveRedirect, safeCallbackUrl } from "./callback-url";

describe("safeCallbackUrl", () => {
  it("keeps paths on this site, query included", () => {
    expect(safeCallbackUrl("/runs")).toBe("/runs");
    expect(safeCallbackUrl("/items/12?from=label")).toBe("/items/12?from=label");
  });

  it("refuses anything that could leave the site", () => {
    for (const hostile of [
      "https://evil.example",
      "//evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
      "runs",
      "/runs\n",
      "/\tevil",
      `/${"a".repeat(3000)}`,
      "",
      undefined,
      ["/runs"],
    ]) {
      expect(safeCallbackUrl(hostile)).toBe("/");
    }
  });
});

describe("resolveRedirect", () => {
  const base = "http://127.0.0.1:3000";
  it("keeps paths and URLs of this origin", () => {
    expect(resolveRedirect("/runs", base)).toBe(`${base}/runs`);
    expect(resolveRedirect(`${base}/label?x=1`, base)).toBe(`${base}/label?x=1`);
  });

  it("sends everything else to the root, other ports and look-alike prefixes included", () => {
    expect(resolveRedirect("//evil.example", base)).toBe(`${base}/`);
    expect(resolveRedirect("https://evil.example/x", base)).toBe(base);
    expect(resolveRedirect("http://127.0.0.1:30001/x", base)).toBe(base);
    expect(resolveRedirect("http://127.0.0.1:3000.evil.example/x", base)).toBe(base);
    expect(resolveRedirect("not a url", base)).toBe(base);
  });
});
