import net from "node:net";

/**
 * A TCP test double in front of a real server: forwards, refuses connections (nothing listens on its port), or
 * accepts and never answers. Switching back to "forward" shows whether clients recover on their own.
 */
export type FaultMode = "forward" | "refuse" | "silent";

export interface FaultProxy {
  port: number;
  endpoint: string;
  setMode(mode: FaultMode): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  let mode: FaultMode = "forward";
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
  };
  const server = net.createServer((client) => {
    track(client);
    if (mode === "silent") return; // read nothing, answer nothing
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  const stopListening = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    async setMode(next) {
      mode = next;
      dropAll(); // kept-alive connections must meet the new behaviour too
      if (next === "refuse") await stopListening();
      else if (!server.listening) await listen(port);
    },
    async close() {
      dropAll();
      await stopListening();
    },
  };
}
