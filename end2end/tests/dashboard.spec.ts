// The executive dashboard: headline figures against target, the other metrics and the trend,
// narrowed by filters that the URL carries.
import { expect, test } from "../fixtures";
import { open } from "../pages/app";

test("the dashboard shows coverage and keystone, and a segment filter narrows them", async ({
  page,
  javaScriptEnabled,
}) => {
  await open(page, "/dashboard", javaScriptEnabled);
  const coverage = page.getByRole("article", { name: "Coverage" });
  await expect(coverage.locator(".tile-value")).toHaveText(/^\d+\.\d %$/);
  await expect(page.getByRole("article", { name: "Keystone" }).locator(".tile-value")).toHaveText(/^\d+\.\d %$/);
  await expect(coverage).toContainText("over 30 days");
  const accounts = (text: string | null) => Number(/of ([\d,]+) accounts/.exec(text ?? "")?.[1].replace(/,/g, ""));
  const everyone = accounts(await coverage.textContent());
  expect(everyone).toBeGreaterThan(0);
  await expect(page.getByRole("table", { name: /by week/ }).getByRole("row")).toHaveCount(14);

  const filters = page.getByRole("form", { name: "Dashboard filters" });
  await filters.getByLabel("Segment").selectOption("SMB");
  await filters.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/segment=SMB/);
  await expect(page.getByRole("form", { name: "Dashboard filters" }).getByLabel("Segment")).toHaveValue("SMB");
  const smb = page.getByRole("article", { name: "Coverage" });
  await expect(smb).toContainText(/of [\d,]+ accounts/);
  const few = accounts(await smb.textContent());
  expect(few).toBeGreaterThan(0);
  expect(few).toBeLessThan(everyone);

  // An earlier as-of date is a shareable view of the past.
  await open(page, "/dashboard?as_of=2026-06-01&segment=SMB", javaScriptEnabled);
  await expect(page.getByText("as of 1 Jun 2026")).toBeVisible();
});
