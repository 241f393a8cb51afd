import net from "node:net";
import { md5Password } from "../../lib/db/pglite-wire-server";

/**
 * A bare Postgres protocol client over TCP, for tests that must send what no driver would (wrong passwords,
 * broken lengths, garbage) and see exactly what the server answers.
 */
export interface RawConnection {
  socket: net.Socket;
  /** Everything received so far. */
  received(): Buffer;
  /** Resolves once the server has closed the connection (or after `ms`, with false). */
  closed(ms?: number): Promise<boolean>;
  /** Resolves when at least `n` bytes arrived, or after `ms` with what there is. */
  waitFor(predicate: (data: Buffer) => boolean, ms?: number): Promise<Buffer>;
}

export async function rawConnect(port: number, host = "127.0.0.1"): Promise<RawConnection> {
  const socket = net.connect(port, host);
  socket.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let data = Buffer.alloc(0);
  let isClosed = false;
  const listeners = new Set<() => void>();
  socket.on("data", (chunk) => {
    data = Buffer.concat([data, chunk]);
    for (const listener of listeners) listener();
  });
  socket.on("close", () => {
    isClosed = true;
    for (const listener of listeners) listener();
  });
  const until = <T>(check: () => T | undefined, ms: number, fallback: () => T) =>
    new Promise<T>((resolve) => {
      const done = (value: T) => {
        listeners.delete(listener);
        clearTimeout(timer);
        resolve(value);
      };
      const listener = () => {
        const value = check();
        if (value !== undefined) done(value);
      };
      const timer = setTimeout(() => done(fallback()), ms);
      listeners.add(listener);
      listener();
    });
  return {
    socket,
    received: () => data,
    closed: (ms = 5_000) =>
      until(
        () => (isClosed ? true : undefined),
        ms,
        () => false,
      ),
    waitFor: (predicate, ms = 5_000) =>
      until(
        () => (predicate(data) || isClosed ? data : undefined),
        ms,
        () => data,
      ),
  };
}

export function startupMessage(user: string, database = "postgres"): Buffer {
  const params = Buffer.from(`user\0${user}\0database\0${database}\0\0`);
  const message = Buffer.alloc(8 + params.length);
  message.writeInt32BE(8 + params.length, 0);
  message.writeInt32BE(196608, 4);
  params.copy(message, 8);
  return message;
}

export function typedMessage(type: string, body: Buffer | string): Buffer {
  const payload = typeof body === "string" ? Buffer.from(body) : body;
  const message = Buffer.alloc(5 + payload.length);
  message.write(type, 0, "ascii");
  message.writeInt32BE(4 + payload.length, 1);
  payload.copy(message, 5);
  return message;
}

/** Answers the server's MD5 challenge (the last 4 bytes of the R message) with this password. */
export function passwordMessage(password: string, user: string, challenge: Buffer): Buffer {
  const salt = challenge.subarray(9, 13);
  return typedMessage("p", `${md5Password(password, user, salt)}\0`);
}

/** The SQLSTATE of the first ErrorResponse in the data, if any. */
export function errorCode(data: Buffer): string | undefined {
  const at = data.indexOf("E");
  if (at === -1) return undefined;
  const match = /C([0-9A-Z]{5})\0/.exec(data.subarray(at).toString("latin1"));
  return match?.[1];
}
