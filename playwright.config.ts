import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { CHROMIUM_LAUNCH } from "./tests/support/chromium-launch";

// The app under test runs exactly as a user starts it (`npm start`), on its embedded defaults, in a throwaway
// data folder and on ports of its own. Browsers are Debian's Chromium: Playwright's download cannot work here.
const port = Number(process.env.E2E_PORT ?? 3123);
const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `faceloop-e2e-${process.pid}`);
// Tests that publish into the running app's storage find its data folder here.
process.env.E2E_DATA_DIR ??= dataDir;

export default defineConfig({
  testDir: "tests/e2e",
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: CHROMIUM_LAUNCH,
  },
  webServer: {
    command: "npm start",
    url: `http://127.0.0.1:${port}/datasets`,
    // Seeding the demo set and model on a busy machine can take longer: E2E_SERVER_TIMEOUT_S raises the wait.
    timeout: Number(process.env.E2E_SERVER_TIMEOUT_S ?? 240) * 1000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(port),
      DATA_DIR: dataDir,
      S3_LOCAL_PORT: String(port + 1),
      NEXT_TELEMETRY_DISABLED: "1",
      // A quarter of served items are blind, so the labelling tests meet some within a few faces.
      LABEL_BLIND_SHARE: "0.25",
    },
  },
});
