// End-to-end tests in Debian's Chromium against the release build, each spec run twice: with
// JavaScript (hydrated app) and without (server-rendered HTML only). `make e2e` prepares the
// database and the build; Playwright starts and stops the server.
import { defineConfig } from "@playwright/test";
import { SIGNED_IN_STATE } from "./pages/app";

const addr = process.env.E2E_ADDR ?? "127.0.0.1:3917";
const database = process.env.E2E_DB ?? "target/e2e/keystone.db";

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  workers: 2,
  forbidOnly: !!process.env.CI,
  // The list for people; JSON for the one-line summary `make e2e` prints at the end.
  reporter: [["list"], ["json", { outputFile: "test-results/results.json" }]],
  use: {
    baseURL: `http://${addr}`,
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium: Playwright must never download a browser of its own here.
      executablePath: "/usr/bin/chromium",
      args: [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    // Signs in once as the demo admin; the other projects start from that session.
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    {
      name: "js",
      use: { javaScriptEnabled: true, storageState: SIGNED_IN_STATE },
      dependencies: ["setup"],
    },
    {
      name: "no-js",
      use: { javaScriptEnabled: false, storageState: SIGNED_IN_STATE },
      dependencies: ["setup"],
    },
  ],
  // Started as operators start it: from the repository root, serving target/site by default.
  webServer: {
    command: "target/release/keystone serve",
    cwd: "..",
    url: `http://${addr}/healthz`,
    env: {
      DATABASE_URL: `sqlite://${database}`,
      LEPTOS_SITE_ADDR: addr,
      RUST_LOG: "warn",
    },
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
