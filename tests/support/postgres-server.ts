import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a temp folder, start on a free port, and
 * remove everything on stop. Postgres refuses to run as root, so when we are root it runs as the postgres user.
 */
export interface PostgresServer {
  url: string;
  host: string;
  port: number;
  stop(): void;
}

function findBinDir(): string {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv) return fromEnv;
  const candidates = fs.existsSync("/usr/lib/postgresql")
    ? fs.readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of candidates) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (fs.existsSync(path.join(dir, "initdb"))) return dir;
  }
  throw new Error("PostgreSQL server binaries not found: install the `postgresql` package or set PG_BIN_DIR");
}

export async function startPostgresServer(port: number): Promise<PostgresServer> {
  const bin = findBinDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "faceloop-pg-"));
  const asRoot = process.getuid?.() === 0;
  const run = (args: string[]) => {
    const [cmd, ...rest] = asRoot ? ["runuser", "-u", "postgres", "--", ...args] : args;
    const result = spawnSync(cmd, rest, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${args[0]} failed: ${result.stderr || result.stdout}`);
  };
  if (asRoot) execFileSync("chown", ["postgres:postgres", dir]);
  run([path.join(bin, "initdb"), "-A", "trust", "-U", "postgres", "--no-sync", "-D", path.join(dir, "data")]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run([path.join(bin, "pg_ctl"), "-w", "-D", path.join(dir, "data"), "-l", path.join(dir, "log"), "-o", options, "start"]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    host: "127.0.0.1",
    port,
    stop() {
      try {
        run([path.join(bin, "pg_ctl"), "-w", "-D", path.join(dir, "data"), "-m", "immediate", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
