import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";

/**
 * Serves one PGlite database to many Postgres connections on loopback. PGlite runs one query at a time, so
 * connections take turns, but a turn is a whole protocol cycle (everything up to Sync or a simple Query), and a
 * connection inside a transaction keeps its turn until the transaction ends. (Interleaving at the level of single
 * messages, as a naive multiplexer does, mixes one connection's Bind into another's Parse.)
 *
 * Nothing reaches PGlite before the client has proved it knows the data folder's password (MD5 challenge, so the
 * password never crosses the socket), every length field is checked before it is trusted, and a connection that
 * breaks the protocol is told why and closed: a hostile or broken client costs its own connection, never the server.
 */
export interface PgliteWireServer {
  port: number;
  stop(): Promise<void>;
}

export interface PgliteWireServerOptions {
  /** The one password every connection must present (any user name is served as PGlite's own superuser). */
  password: string;
  port?: number;
  /** A connection idle inside a transaction this long is closed (and rolled back), so it cannot stall the rest. */
  idleInTransactionMs?: number;
}

const PROTOCOL_3_0 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Postgres itself refuses startup packets over 10000 bytes. */
const MAX_STARTUP_LENGTH = 10_000;
/** Far above any query faceloop sends (batched imports stay in the low megabytes); bounds a connection's buffer. */
const MAX_MESSAGE_LENGTH = 64 * 1024 * 1024;
/** Messages a frontend may send after startup (protocol 3.0). */
const FRONTEND_TYPES = new Set("BCdcfDEHFPpQSX");
const DEFAULT_IDLE_IN_TRANSACTION_MS = 10_000;
/** A client that has not authenticated within this time is dropped. */
const AUTHENTICATION_TIMEOUT_MS = 10_000;

/** One connection's turn at a time. */
class Turns {
  private tail: Promise<void> = Promise.resolve();
  take(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

class ProtocolViolation extends Error {}

export async function startPgliteWireServer(db: PGlite, options: PgliteWireServerOptions): Promise<PgliteWireServer> {
  const turns = new Turns();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("error", () => {}); // a reset by the peer is that connection's business only
    serveConnection(db, turns, socket, options)
      .catch((error) => console.error("database wire server: connection failed:", error))
      .finally(() => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  server.on("error", (error) => console.error("database wire server:", error.message));
  return {
    port: (server.address() as net.AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function serveConnection(
  db: PGlite,
  turns: Turns,
  socket: net.Socket,
  options: PgliteWireServerOptions,
): Promise<void> {
  const idleInTransactionMs = options.idleInTransactionMs ?? DEFAULT_IDLE_IN_TRANSACTION_MS;
  let input = Buffer.alloc(0);
  let phase: "startup" | "password" | "ready" = "startup";
  let startup: Buffer | null = null;
  let user = "";
  const salt = randomBytes(4);
  let pending: Buffer[] = [];
  // The turn this connection holds, if any (set and cleared by runCycle).
  const turn: { release: (() => void) | null } = { release: null };
  let transactionStatus = "I";
  let idleTimer: NodeJS.Timeout | undefined;
  let work: Promise<void> = Promise.resolve();
  const output = new ReadyForQueryTracker((status) => (transactionStatus = status));
  const authTimer = setTimeout(() => socket.destroy(), AUTHENTICATION_TIMEOUT_MS);

  const fail = (code: string, message: string) => {
    socket.removeAllListeners("data");
    if (!socket.destroyed) socket.end(errorResponse(code, message));
    // end() waits for the peer; a peer that never reads must not keep the socket open.
    setTimeout(() => socket.destroy(), 1_000).unref();
  };

  const runCycle = (messages: Buffer[]) => {
    work = work.then(async () => {
      if (socket.destroyed) return;
      clearTimeout(idleTimer);
      turn.release ??= await turns.take();
      try {
        for (const message of messages) {
          if (socket.destroyed) break;
          await db.execProtocolRawStream(new Uint8Array(message), {
            onRawData: (data) => {
              output.push(data);
              if (!socket.destroyed) socket.write(Buffer.from(data));
            },
          });
        }
      } catch (error) {
        socket.destroy(error instanceof Error ? error : new Error(String(error)));
      }
      if (transactionStatus === "I" || socket.destroyed) {
        turn.release();
        turn.release = null;
      } else {
        // Everyone else waits while this connection sits in a transaction: give it a short leash.
        idleTimer = setTimeout(() => socket.destroy(), idleInTransactionMs);
      }
    });
  };

  const onMessage = (type: string, message: Buffer) => {
    if (phase === "password") {
      if (type !== "p") throw new ProtocolViolation("expected a password message");
      const expected = Buffer.from(md5Password(options.password, user, salt));
      const given = message.subarray(5, message.indexOf(0, 5) === -1 ? message.length : message.indexOf(0, 5));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        fail("28P01", `password authentication failed for user "${user}"`);
        return false;
      }
      clearTimeout(authTimer);
      phase = "ready";
      runCycle([startup!]); // PGlite answers AuthenticationOk, the parameters and ReadyForQuery
      return true;
    }
    if (type === "X") {
      socket.end();
      return false;
    }
    pending.push(message);
    // Sync ends an extended-protocol cycle, Query is a whole simple cycle.
    if (type === "S" || type === "Q") {
      const cycle = pending;
      pending = [];
      runCycle(cycle);
    }
    return true;
  };

  /** Consumes whole messages from the input; false when the connection is finished. */
  const drain = (): boolean => {
    for (;;) {
      if (phase === "startup") {
        if (input.length < 8) return true;
        const length = input.readInt32BE(0);
        if (length < 8 || length > MAX_STARTUP_LENGTH)
          throw new ProtocolViolation(`invalid startup packet length ${length}`);
        if (input.length < length) return true;
        const code = input.readInt32BE(4);
        const message = Buffer.from(input.subarray(0, length));
        input = input.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          if (length !== 8) throw new ProtocolViolation("invalid SSL request");
          socket.write("N"); // no TLS on loopback; the client goes on in plain text
          continue;
        }
        if (code === CANCEL_REQUEST) {
          socket.end(); // not supported by PGlite; Postgres closes the connection too
          return false;
        }
        if (code !== PROTOCOL_3_0)
          throw new ProtocolViolation(`unsupported frontend protocol ${code >>> 16}.${code & 0xffff}`);
        user = startupParameters(message).get("user") ?? "";
        if (!user) throw new ProtocolViolation("no user name in the startup packet");
        startup = message;
        phase = "password";
        socket.write(md5Challenge(salt));
        continue;
      }
      if (input.length < 5) return true;
      const type = String.fromCharCode(input[0]);
      const length = input.readInt32BE(1);
      if (!FRONTEND_TYPES.has(type)) throw new ProtocolViolation(`invalid frontend message type ${input[0]}`);
      if (length < 4 || length > MAX_MESSAGE_LENGTH) throw new ProtocolViolation(`invalid message length ${length}`);
      if (input.length < length + 1) return true;
      const message = Buffer.from(input.subarray(0, length + 1));
      input = input.subarray(length + 1);
      if (!onMessage(type, message)) return false;
    }
  };

  socket.on("data", (chunk) => {
    input = input.length === 0 ? chunk : Buffer.concat([input, chunk]);
    try {
      if (!drain()) socket.removeAllListeners("data");
    } catch (error) {
      if (!(error instanceof ProtocolViolation)) throw error;
      fail("08P01", error.message);
    }
  });

  await new Promise<void>((resolve) => socket.once("close", () => resolve()));
  clearTimeout(authTimer);
  clearTimeout(idleTimer);
  await work;
  if (turn.release) {
    // The connection went away inside a transaction: roll it back so the next one starts clean.
    if (transactionStatus !== "I") {
      await db.execProtocolRawStream(simpleQuery("ROLLBACK"), { onRawData: () => {} }).catch(() => {});
    }
    turn.release();
  }
}

function startupParameters(message: Buffer): Map<string, string> {
  const fields = message.subarray(8).toString("utf8").split("\0");
  const parameters = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === "") break;
    parameters.set(fields[i], fields[i + 1]);
  }
  return parameters;
}

/** What a client answers to an MD5 challenge: "md5" + md5(md5(password + user) + salt). */
export function md5Password(password: string, user: string, salt: Buffer): string {
  const inner = createHash("md5")
    .update(password + user)
    .digest("hex");
  return `md5${createHash("md5")
    .update(Buffer.concat([Buffer.from(inner), salt]))
    .digest("hex")}`;
}

function md5Challenge(salt: Buffer): Buffer {
  const message = Buffer.alloc(13);
  message.write("R", 0, "ascii");
  message.writeInt32BE(12, 1);
  message.writeInt32BE(5, 5); // AuthenticationMD5Password
  salt.copy(message, 9);
  return message;
}

function errorResponse(code: string, text: string): Buffer {
  const body = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${text}\0\0`, "utf8");
  const message = Buffer.alloc(5 + body.length);
  message.write("E", 0, "ascii");
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return message;
}

function simpleQuery(text: string): Uint8Array {
  const body = Buffer.from(`${text}\0`, "utf8");
  const message = Buffer.alloc(5 + body.length);
  message.write("Q", 0, "ascii");
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return new Uint8Array(message);
}

/** Follows the server's message stream and reports each ReadyForQuery's transaction status (I, T or E). */
class ReadyForQueryTracker {
  private header = Buffer.alloc(0);
  private skip = 0;
  private type = "";
  constructor(private readonly onStatus: (status: string) => void) {}

  push(data: Uint8Array): void {
    let offset = 0;
    while (offset < data.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, data.length - offset);
        if (this.type === "Z" && this.skip === 1) this.onStatus(String.fromCharCode(data[offset]));
        this.skip -= n;
        offset += n;
        continue;
      }
      const need = 5 - this.header.length;
      const take = data.subarray(offset, offset + need);
      this.header = Buffer.concat([this.header, take]);
      offset += take.length;
      if (this.header.length === 5) {
        this.type = String.fromCharCode(this.header[0]);
        this.skip = this.header.readInt32BE(1) - 4;
        this.header = Buffer.alloc(0);
      }
    }
  }
}
