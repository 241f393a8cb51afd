import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * The secrets of one data folder's embedded services: the database password the wire server asks for and the key
 * pair the local S3 server checks every request's signature against. Generated on first use and kept in
 * `<DATA_DIR>/local-credentials.json`, readable by the owner only, so any process of the same user that knows the
 * data folder can connect, and nothing else on the machine (or a web page in the user's browser) can.
 */
export interface LocalCredentials {
  databasePassword: string;
  s3AccessKeyId: string;
  s3SecretAccessKey: string;
}

const FILE_NAME = "local-credentials.json";

export function readOrCreateLocalCredentials(dataDir: string): LocalCredentials {
  const file = path.resolve(dataDir, FILE_NAME);
  const existing = readCredentials(file);
  if (existing) return existing;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fresh: LocalCredentials = {
    databasePassword: randomBytes(24).toString("hex"),
    s3AccessKeyId: `faceloop-${randomBytes(6).toString("hex")}`,
    s3SecretAccessKey: randomBytes(30).toString("base64url"),
  };
  // Written whole under a temporary name, then linked into place: two processes starting at once agree on one set.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  fs.writeFileSync(temporary, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
    return fresh;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readCredentials(file)!;
    throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

function readCredentials(file: string): LocalCredentials | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  let parsed: Partial<LocalCredentials> = {};
  try {
    parsed = JSON.parse(text) as Partial<LocalCredentials>;
  } catch {
    // reported below with what to do about it
  }
  const usable = (value: unknown) => typeof value === "string" && value.length >= 12;
  if (!usable(parsed.databasePassword) || !usable(parsed.s3AccessKeyId) || !usable(parsed.s3SecretAccessKey)) {
    throw new Error(`${file} is damaged: stop faceloop, delete the file, and start again to generate new credentials`);
  }
  // Tighten a copy that was made readable by others (e.g. by a backup restore).
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  return parsed as LocalCredentials;
}
