import { z } from "zod";

/**
 * Every setting faceloop reads from the environment, validated in one place. The defaults run the zero-setup
 * install: embedded PGlite in .data/pglite and a local S3 server on loopback storing into .data/s3.
 * Processes call `loadEnv()` once at start; everything below them receives plain config objects.
 */
const ZEnv = z.object({
  /** Postgres URL for the Neon serverless driver. Unset: embedded PGlite. */
  DATABASE_URL: z.string().url().optional(),
  /** For a plain (non-Neon) Postgres: the WebSocket-to-TCP proxy the Neon driver talks through, e.g. 127.0.0.1:5433. */
  DATABASE_WS_PROXY: z.string().optional(),
  /**
   * Neon's SQL-over-HTTP endpoint for edge-runtime routes where the runtime has no WebSocket (Next.js's local edge
   * sandbox). `npm start` serves one and fills this in; on Neon leave it unset (the driver derives Neon's own).
   */
  DATABASE_HTTP_ENDPOINT: z.string().url().optional(),
  DATA_DIR: z.string().default(".data"),

  /** S3 endpoint. Unset: faceloop starts its own local S3 server on S3_LOCAL_PORT. Set: AWS, R2, MinIO, ... */
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().default("us-east-1"),
  S3_BUCKET: z.string().default("faceloop"),
  S3_ACCESS_KEY_ID: z.string().default("faceloop"),
  S3_SECRET_ACCESS_KEY: z.string().default("faceloop-local-secret"),
  S3_LOCAL_PORT: z.coerce.number().int().min(0).max(65535).default(4569),
  /** An S3 call fails when connecting, or any wait for the next byte, takes longer than this. */
  S3_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),

  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Rows per database transaction when importing. */
  IMPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(4096),

  /** Signs session tokens. Unset: the start command generates one and keeps it in DATA_DIR. */
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  /** GitHub OAuth sign-in is offered only when both are set. */
  GITHUB_ID: z.string().optional(),
  GITHUB_SECRET: z.string().optional(),

  /** How many people should label an item before it leaves the queue. */
  LABEL_OVERLAP: z.coerce.number().int().min(1).max(50).default(3),
  /** How long an annotator holds a served item before others may get it. */
  LABEL_LEASE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  /** Share of items shown without a model suggestion, to measure unprompted choices. */
  LABEL_BLIND_SHARE: z.coerce.number().min(0).max(1).default(0.1),

  /** Trainer: retrain when this many new labels arrived since the serving model was trained ... */
  RETRAIN_AFTER_LABELS: z.coerce.number().int().min(1).default(500),
  /** ... or when the serving model is older than this many hours (0: never by age). */
  RETRAIN_AFTER_HOURS: z.coerce.number().min(0).default(168),
  /** Trainer: after a failed scheduled run, wait this many minutes before the next (doubling per failure in a row). */
  RETRAIN_BACKOFF_MINUTES: z.coerce.number().min(0).default(30),
  /** Automatic promotion: the val macro-F1 a version needs to serve (besides beating the majority-class rate). */
  PROMOTION_MIN_MACRO_F1: z.coerce.number().min(0).max(1).default(0.25),
  /** Whether test faces are served to annotators: "off", or "blind" (never with a suggestion or others' labels). */
  LABEL_TEST_FACES: z.enum(["off", "blind"]).default("off"),
  /** Trainer: a running run whose worker is silent this long is handed to another worker. */
  TRAINER_STALE_SECONDS: z.coerce.number().int().min(5).default(120),
  TRAINER_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(3),
  /** Trainer backend: best available first (tensorflow, wasm, cpu), or force one. */
  TRAINER_BACKEND: z.enum(["auto", "tensorflow", "onednn", "wasm", "cpu"]).default("auto"),
});

export type Env = z.infer<typeof ZEnv>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // Treat empty strings as unset so `FOO= npm start` behaves like no FOO at all.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = ZEnv.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid configuration in the environment:\n${problems}`);
  }
  return parsed.data;
}

export type DatabaseConfig =
  | { driver: "neon"; url: string; wsProxy?: string; httpEndpoint?: string }
  | { driver: "pglite"; dataDir: string };

export function databaseConfig(env: Env): DatabaseConfig {
  if (env.DATABASE_URL) {
    return {
      driver: "neon",
      url: env.DATABASE_URL,
      wsProxy: env.DATABASE_WS_PROXY,
      httpEndpoint: env.DATABASE_HTTP_ENDPOINT,
    };
  }
  return { driver: "pglite", dataDir: resolveDataPath(env.DATA_DIR, "pglite") };
}

export interface StorageConfig {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  timeoutMs: number;
  /** Set when faceloop must run the local S3 server itself. */
  local?: { directory: string; port: number };
}

export function storageConfig(env: Env): StorageConfig {
  const base = {
    region: env.S3_REGION,
    bucket: env.S3_BUCKET,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    timeoutMs: env.S3_TIMEOUT_MS,
  };
  if (env.S3_ENDPOINT) return { ...base, endpoint: env.S3_ENDPOINT };
  return {
    ...base,
    endpoint: `http://127.0.0.1:${env.S3_LOCAL_PORT}`,
    local: { directory: resolveDataPath(env.DATA_DIR, "s3"), port: env.S3_LOCAL_PORT },
  };
}

/**
 * `<DATA_DIR>/<name>` as an absolute POSIX path, like path.resolve. Written without node:path because this module
 * also loads in the edge runtime, which has no node:path (only the Node-side settings ever call this).
 */
export function resolveDataPath(dataDir: string, name: string): string {
  const base = new URL(dataDir.replace(/\/*$/, "/"), `file://${process.cwd().replace(/\/*$/, "/")}`);
  return decodeURIComponent(new URL(name, base).pathname).replace(/\/+$/, "");
}
