// The `test` every spec uses: fails a test whose page logged an error or threw, so a hydration
// mismatch or a panic in the WASM cannot pass unnoticed.
import { test as base, expect } from "@playwright/test";

export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("console", (message) => {
        // A page that answers 403 or 404 on purpose logs its own status; any other failure counts.
        const ownStatus =
          message.location().url === page.url() && message.text().startsWith("Failed to load resource");
        if (message.type() === "error" && !ownStatus) errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(String(error)));
      await use(errors);
      expect(errors, "errors in the browser console").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
