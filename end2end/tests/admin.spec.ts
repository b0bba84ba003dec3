// The admin page, as the demo admin uses it, with and without JavaScript.
import { expect, test } from "../fixtures";
import { open } from "../pages/app";

test("an admin disables a user, and the audit log shows it", async ({ page, javaScriptEnabled }) => {
  // Each project disables its own demo CSM, so the two runs do not race for one row.
  const target = javaScriptEnabled ? "csm2@keystone.demo" : "csm3@keystone.demo";
  await open(page, "/admin", javaScriptEnabled);
  const row = page.getByRole("row").filter({ hasText: target });
  await expect(row).toContainText("Active");
  await row.getByRole("button", { name: /^Disable / }).click();
  await expect(page.getByRole("row").filter({ hasText: target })).toContainText("Disabled");

  await page.getByRole("link", { name: "Audit log" }).click();
  await page.getByLabel("Action").fill("user.disabled");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("table")).toContainText("user.disabled");
  await expect(page.getByRole("table")).toContainText("Ada Admin (user)");
});
