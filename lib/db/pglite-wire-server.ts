import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";

/**
 * Serves one PGlite database to many Postgres connections on loopback. PGlite runs one query at a time, so
 * connections take turns, but a turn is a whole protocol cycle (everything up to Sync or a simple Query), and a
 * connection inside a transaction keeps its turn until the transaction ends. (Interleaving at the level of single
 * messages, as a naive multiplexer does, mixes one connection's Bind into another's Parse.)
 */
export interface PgliteWireServer {
  port: number;
  stop(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** A connection idle inside a transaction this long is closed, so it cannot block everybody forever. */
const IDLE_IN_TRANSACTION_MS = 60_000;

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

export async function startPgliteWireServer(db: PGlite, options: { port?: number } = {}): Promise<PgliteWireServer> {
  const turns = new Turns();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    serveConnection(db, turns, socket).finally(() => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function serveConnection(db: PGlite, turns: Turns, socket: net.Socket): Promise<void> {
  let input = Buffer.alloc(0);
  let started = false;
  let pending: Buffer[] = [];
  // The turn this connection holds, if any (set and cleared by runCycle).
  const turn: { release: (() => void) | null } = { release: null };
  let transactionStatus = "I";
  let idleTimer: NodeJS.Timeout | undefined;
  let work: Promise<void> = Promise.resolve();
  const output = new ReadyForQueryTracker((status) => (transactionStatus = status));

  const runCycle = (messages: Buffer[]) => {
    work = work.then(async () => {
      if (socket.destroyed) return;
      clearTimeout(idleTimer);
      turn.release ??= await turns.take();
      try {
        for (const message of messages) {
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
        idleTimer = setTimeout(() => socket.destroy(), IDLE_IN_TRANSACTION_MS);
      }
    });
  };

  socket.on("data", (chunk) => {
    input = input.length === 0 ? chunk : Buffer.concat([input, chunk]);
    for (;;) {
      if (!started) {
        if (input.length < 8) return;
        const length = input.readInt32BE(0);
        if (input.length < length) return;
        const code = input.readInt32BE(4);
        const message = input.subarray(0, length);
        input = input.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          socket.write("N"); // no TLS on loopback; the client goes on in plain text
          continue;
        }
        if (code === CANCEL_REQUEST) continue; // not supported by PGlite
        started = true;
        runCycle([Buffer.from(message)]);
        continue;
      }
      if (input.length < 5) return;
      const length = 1 + input.readInt32BE(1);
      if (input.length < length) return;
      const message = Buffer.from(input.subarray(0, length));
      input = input.subarray(length);
      const type = String.fromCharCode(message[0]);
      if (type === "X") {
        socket.end();
        return;
      }
      pending.push(message);
      // Sync ends an extended-protocol cycle, Query is a whole simple cycle, p answers authentication.
      if (type === "S" || type === "Q" || type === "p") {
        const cycle = pending;
        pending = [];
        runCycle(cycle);
      }
    }
  });

  await new Promise<void>((resolve) => socket.once("close", () => resolve()));
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
