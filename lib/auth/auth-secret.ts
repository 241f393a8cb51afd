import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const MIN_LENGTH = 32;

/**
 * The secret that signs session tokens on a zero-setup install: generated on first start and kept in
 * `<DATA_DIR>/auth-secret` (readable by the owner only), so sessions survive restarts. NEXTAUTH_SECRET overrides it.
 */
export function readOrCreateAuthSecret(dataDir: string): string {
  const file = path.resolve(dataDir, "auth-secret");
  const existing = readSecret(file);
  if (existing !== undefined) return existing;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  // Written whole under a temporary name, then linked into place: link fails if the file exists, so two processes
  // starting at once agree on one secret and neither ever reads a half-written file.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  fs.writeFileSync(temporary, `${secret}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readSecret(file)!;
    throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

function readSecret(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const secret = text.trim();
  if (secret.length < MIN_LENGTH) {
    throw new Error(
      `${file} holds no usable secret (fewer than ${MIN_LENGTH} characters): delete it to generate a new one`,
    );
  }
  return secret;
}
