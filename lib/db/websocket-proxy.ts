import net from "node:net";
import { WebSocketServer } from "ws";

/**
 * A WebSocket-to-TCP proxy so the Neon serverless driver (which speaks Postgres over WebSockets) can reach a plain
 * Postgres: the local test server, or the embedded PGlite served on a socket. It forwards to one fixed target only,
 * whatever address the client asks for, so it cannot be used to reach anything else. It refuses any request that
 * carries an Origin header: browsers always send one and Node clients do not, so a web page open in the operator's
 * browser cannot use it to reach the database (which in any case asks for the data folder's password).
 */
export interface WebSocketProxy {
  /** host:port to put in DATABASE_WS_PROXY. */
  address: string;
  port: number;
  close(): Promise<void>;
}

export async function startWebSocketProxy(options: {
  target: { host: string; port: number };
  port?: number;
}): Promise<WebSocketProxy> {
  const server = new WebSocketServer({
    host: "127.0.0.1",
    port: options.port ?? 0,
    // Postgres frames stay far below this; a bigger one is an attack on memory.
    maxPayload: 64 * 1024 * 1024,
    verifyClient: (info: { req: { headers: Record<string, unknown> } }) =>
      info.req.headers.origin === undefined && info.req.headers["sec-websocket-origin"] === undefined,
  });
  server.on("error", (error) => console.error("database WebSocket proxy:", error.message));
  server.on("connection", (socket) => {
    const tcp = net.connect(options.target.port, options.target.host);
    tcp.setNoDelay(true);
    const pending: Buffer[] = [];
    let connected = false;
    tcp.on("connect", () => {
      connected = true;
      for (const chunk of pending) tcp.write(chunk);
      pending.length = 0;
    });
    socket.on("message", (data: Buffer) => (connected ? tcp.write(data) : pending.push(data)));
    tcp.on("data", (chunk) => socket.send(chunk));
    const closeBoth = () => {
      tcp.destroy();
      socket.close();
    };
    socket.on("close", closeBoth);
    socket.on("error", closeBoth);
    tcp.on("close", () => socket.close());
    tcp.on("error", closeBoth);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    address: `127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
