import type { NextConfig } from "next";

/**
 * Security headers on every response. The CSP keeps what the app needs: Next.js's inline bootstrap scripts,
 * WebAssembly for the tfjs wasm backend ('wasm-unsafe-eval'; its files are served from /api/tfjs-wasm), blob:
 * workers and images, and presigned uploads straight to S3 (the configured endpoint, or the local server on
 * loopback). Nothing may frame the site.
 */
function contentSecurityPolicy(): string {
  const dev = process.env.NODE_ENV !== "production";
  const s3 = process.env.S3_ENDPOINT ? new URL(process.env.S3_ENDPOINT).origin : "https://*.amazonaws.com";
  const directives = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", "'wasm-unsafe-eval'", ...(dev ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": [
      "'self'",
      "blob:",
      "data:",
      s3,
      "http://127.0.0.1:*",
      "http://localhost:*",
      ...(dev ? ["ws:"] : []),
    ],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'", "https://github.com"],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}

const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy() },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

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
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;
