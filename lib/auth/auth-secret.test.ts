import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readOrCreateAuthSecret } from "./auth-secret";

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "faceloop-auth-secret-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("readOrCreateAuthSecret", () => {
  it("generates a secret once, keeps it private to the owner, and returns the same one afterwards", () => {
    const dir = path.join(tempDir(), "nested", "data");
    const secret = readOrCreateAuthSecret(dir);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readOrCreateAuthSecret(dir)).toBe(secret);
    expect(fs.statSync(path.join(dir, "auth-secret")).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(["auth-secret"]);
  });

  it("gives different installs different secrets", () => {
    expect(readOrCreateAuthSecret(tempDir())).not.toBe(readOrCreateAuthSecret(tempDir()));
  });

  it("refuses a file that holds no usable secret instead of silently replacing it", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "auth-secret"), "short\n");
    expect(() => readOrCreateAuthSecret(dir)).toThrow(/holds no usable secret.*delete it/);
  });
});
