import fs from "node:fs";
import path from "node:path";
import { type Env, databaseConfig, storageConfig } from "../config/env";
import { serveEmbeddedDatabase } from "../db/embedded-server";
import { startSqlOverHttpServer } from "../db/sql-over-http-server";
import { startLocalS3Server } from "../storage/local-s3-server";
import { readOrCreateLocalCredentials } from "./local-credentials";

/**
 * The zero-setup services: when no Postgres or S3 is configured, one process (the start command, or a CLI run on
 * its own) hosts the embedded database and the local S3 server, and records where they listen in
 * `<DATA_DIR>/runtime.json` so other processes (the Next.js server, the trainer, `npm run import`) use them
 * instead of opening the same PGlite folder twice.
 *
 * This is the one place that builds the addresses and credentials of the local services: the database URL carries
 * the data folder's password and the S3 keys are the data folder's own (local-credentials.ts), whatever
 * S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY say (those are for a configured S3_ENDPOINT).
 */
export interface RuntimeInfo {
  pid: number;
  databaseUrl?: string;
  databaseWsProxy?: string;
  databaseHttpEndpoint?: string;
  s3Endpoint?: string;
}

export interface LocalServices {
  /** The environment with the local services filled in, for this process and its children. */
  env: Env;
  stop(): Promise<void>;
}

function runtimeFile(env: Env): string {
  return path.resolve(env.DATA_DIR, "runtime.json");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Services another faceloop process is hosting right now, if any. */
export function findRunningServices(env: Env): RuntimeInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(runtimeFile(env), "utf8")) as RuntimeInfo;
    return isAlive(info.pid) && info.pid !== process.pid ? info : null;
  } catch {
    return null;
  }
}

/** Fills DATABASE_URL / S3_ENDPOINT from running local services, or starts them here when nobody runs them. */
export async function provideLocalServices(env: Env, options: { host?: boolean } = {}): Promise<LocalServices> {
  const needDatabase = !env.DATABASE_URL;
  const needStorage = !env.S3_ENDPOINT;
  if (!needDatabase && !needStorage) return { env, stop: async () => {} };

  const credentials = readOrCreateLocalCredentials(env.DATA_DIR);
  const s3Keys = { S3_ACCESS_KEY_ID: credentials.s3AccessKeyId, S3_SECRET_ACCESS_KEY: credentials.s3SecretAccessKey };
  const running = findRunningServices(env);
  if (running && !options.host) {
    return {
      env: {
        ...env,
        ...(needDatabase
          ? {
              DATABASE_URL: withPassword(running.databaseUrl, credentials.databasePassword),
              DATABASE_WS_PROXY: running.databaseWsProxy,
              DATABASE_HTTP_ENDPOINT: running.databaseHttpEndpoint,
            }
          : {}),
        ...(needStorage ? { S3_ENDPOINT: running.s3Endpoint, ...s3Keys } : {}),
      },
      stop: async () => {},
    };
  }
  if (running) throw new Error(`faceloop is already running (pid ${running.pid}); stop it first`);

  const stops: Array<() => Promise<void>> = [];
  const filled: Env = { ...env };
  const info: RuntimeInfo = { pid: process.pid };
  try {
    if (needDatabase) {
      const config = databaseConfig(env);
      if (config.driver !== "pglite") throw new Error("unreachable: no DATABASE_URL means PGlite");
      fs.mkdirSync(config.dataDir, { recursive: true });
      const server = await serveEmbeddedDatabase({ dataDir: config.dataDir, password: credentials.databasePassword });
      stops.push(() => server.stop());
      filled.DATABASE_URL = server.databaseUrl;
      // runtime.json says where, never the password: that stays in the 0600 credentials file.
      info.databaseUrl = withPassword(server.databaseUrl, undefined);
      filled.DATABASE_WS_PROXY = info.databaseWsProxy = server.wsProxy;
      // Edge-runtime routes under `next start` have no WebSocket: they query over fetch through this.
      const http = await startSqlOverHttpServer({ databaseUrl: server.databaseUrl, wsProxy: server.wsProxy });
      stops.push(() => http.stop());
      filled.DATABASE_HTTP_ENDPOINT = info.databaseHttpEndpoint = http.endpoint;
    }
    if (needStorage) {
      const storage = storageConfig(env);
      const s3 = await startLocalS3Server({
        directory: storage.local!.directory,
        port: storage.local!.port,
        bucket: storage.bucket,
        accessKeyId: credentials.s3AccessKeyId,
        secretAccessKey: credentials.s3SecretAccessKey,
      });
      stops.push(() => s3.stop());
      filled.S3_ENDPOINT = info.s3Endpoint = s3.endpoint;
      Object.assign(filled, s3Keys);
    }
  } catch (error) {
    for (const stop of stops.reverse()) await stop();
    throw error;
  }
  fs.writeFileSync(runtimeFile(env), JSON.stringify(info, null, 2));
  return {
    env: filled,
    async stop() {
      fs.rmSync(runtimeFile(env), { force: true });
      for (const stop of stops.reverse()) await stop();
    },
  };
}

/** The URL with this password (or none). */
function withPassword(url: string | undefined, password: string | undefined): string | undefined {
  if (!url) return url;
  const parsed = new URL(url);
  parsed.password = password ? encodeURIComponent(password) : "";
  return parsed.toString();
}
