import { hash, verify } from "@node-rs/argon2";

/**
 * argon2id with the OWASP-recommended minimum (19 MiB, 2 passes, 1 lane). `algorithm: 2` is Algorithm.Argon2id,
 * a const enum that isolated modules cannot import.
 */
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** False for a wrong password and for a stored value that is not an argon2 hash at all. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as checking a real password, for sign-ins with an unknown email or an account without a
 * password, so the response time does not tell whether an email is registered.
 */
export async function verifyNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword("faceloop: no such account");
  await verifyPassword(await dummyHash, password);
  return false;
}
