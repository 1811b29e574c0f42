import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = process.env.E2E_BASE_URL ?? `http://127.0.0.1:${port}`;

// Debian's chromium, never a downloaded browser: the machines this runs on have no browser CDN.
const chromiumArgs = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results/e2e",
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  reporter: "list",
  // Signs in once through /login; tests start signed in (test.use({ storageState: { cookies: [], origins: [] } }) opts out).
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    storageState: "test-results/e2e/auth.json",
  },
  projects: [
    {
      name: "chromium",
      use: { browserName: "chromium", launchOptions: { executablePath: "/usr/bin/chromium", args: chromiumArgs } },
    },
  ],
  // Drives the built app (`npm run build` first); skipped when E2E_BASE_URL points at a running one.
  webServer: process.env.E2E_BASE_URL
    ? undefined
    : {
        command: `node node_modules/next/dist/bin/next start -p ${port}`,
        url: `${baseURL}/api/health`,
        reuseExistingServer: !process.env.CI,
        timeout: 60_000,
        env: { NEXT_TELEMETRY_DISABLED: "1" },
      },
});
