import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and WASM packages stay plain Node requires on the server instead of being bundled.
  serverExternalPackages: [
    "sharp",
    "ws",
    "s3rver",
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "@neondatabase/serverless",
    "@node-rs/argon2",
  ],
  poweredByHeader: false,
};

export default nextConfig;
