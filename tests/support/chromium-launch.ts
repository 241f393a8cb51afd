/**
 * How the browser tests and the suggestion benchmark launch Chromium: Debian's build (Playwright's own download
 * cannot work offline), or CHROMIUM_PATH, headless without a GPU and without background traffic.
 */
export const CHROMIUM_LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
  ],
};
