import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Lets two builds of one checkout live side by side (tests on their own port and folder).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Native and WASM packages stay plain Node requires on the server instead of being bundled.
  serverExternalPackages: [
    "sharp",
    "ws",
    "s3rver",
    "@electric-sql/pglite",
    "@neondatabase/serverless",
    "@node-rs/argon2",
  ],
  poweredByHeader: false,
};

export default nextConfig;
