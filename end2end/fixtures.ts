// The `test` every spec uses: fails a test whose page logged an error or threw, so a hydration
// mismatch or a panic in the WASM cannot pass unnoticed.
import { test as base, expect } from "@playwright/test";

export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("console", (message) => {
        // A page that answers 403 or 404 on purpose logs its own status; any other failure counts.
        const failedLoad = message.text().startsWith("Failed to load resource");
        const ownStatus = failedLoad && message.location().url === page.url();
        // A server function refusing input (400), a signed-out user (401) or a stale save (409)
        // is an answer, not a fault.
        const refusal =
          failedLoad && new URL(message.location().url, page.url()).pathname.startsWith("/api/") &&
          / status of (400|401|409) /.test(message.text());
        if (message.type() === "error" && !ownStatus && !refusal) errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(String(error)));
      await use(errors);
      expect(errors, "errors in the browser console").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
