// The executive dashboard: headline figures against target, charts over tables, filters the URL
// carries, drill-down to the accounts behind a figure, CSV exports, the pilot report, and a review
// recorded in the browser moving the keystone.
import fs from "node:fs";
import { type Page } from "@playwright/test";
import { expect, test } from "../fixtures";
import { open } from "../pages/app";

/// The number in "N of M accounts" (the first) or its M (the second).
function accounts(text: string | null, which: 1 | 2 = 2): number {
  const match = /([\d,]+) of ([\d,]+) accounts/.exec(text ?? "");
  return Number(match?.[which].replace(/,/g, ""));
}

/// The text of a download started by clicking `link`.
async function download(page: Page, link: ReturnType<Page["getByRole"]>): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent("download"), link.click()]);
  return fs.readFileSync(await file.path(), "utf8");
}

// A day in the past that no other test's writes can move: they are made today, and the account
// the accounts spec creates starts on 2026-01-15.
const PAST = "2025-10-01";

test("the dashboard shows coverage and keystone with their charts, and a segment filter narrows them", async ({
  page,
  javaScriptEnabled,
}) => {
  await open(page, "/dashboard", javaScriptEnabled);
  const coverage = page.getByRole("article", { name: "Coverage" });
  await expect(coverage.locator(".tile-value")).toHaveText(/^\d+\.\d %$/);
  await expect(page.getByRole("article", { name: "Keystone" }).locator(".tile-value")).toHaveText(/^\d+\.\d %$/);
  await expect(coverage).toContainText("over 30 days");
  const everyone = accounts(await coverage.textContent());
  expect(everyone).toBeGreaterThan(0);
  const charts = ["coverage-trend", "keystone-trend", "participation-trend", "status-shares", "csm-bars", "leading-lagging"];
  for (const id of charts) {
    const chart = page.locator(`#${id}`);
    if (javaScriptEnabled) {
      // Drawn by ECharts; its table folds away behind the summary.
      await expect(chart.locator("canvas")).toHaveCount(1);
      await expect(chart).toBeVisible();
    } else {
      await expect(chart).toBeHidden();
    }
  }
  // Behind the chart, a year of weeks against target.
  const trend = page.getByRole("table", { name: "Coverage by week, against target", includeHidden: true });
  if (javaScriptEnabled) {
    await expect(trend).toBeHidden();
    await page.getByText("Trend as a table").first().click();
  }
  await expect(trend).toBeVisible();
  await expect(trend.getByRole("row")).toHaveCount(54);
  await expect(
    page.getByRole("table", { name: "Keystone over 12 months against renewal rate per CSM", includeHidden: true }).locator("tbody tr"),
  ).not.toHaveCount(0);

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

  // An earlier as-of date is a shareable view of the past; a CSM's name narrows to their book.
  await open(page, `/dashboard?as_of=${PAST}&segment=SMB`, javaScriptEnabled);
  await expect(page.getByText("as of 1 Oct 2025")).toBeVisible();
  // Drawn charts fold their tables away: a click on the summary shows one.
  if (javaScriptEnabled) await page.getByText("Coverage and keystone per CSM as a table").click();
  const perCsm = page.getByRole("table", { name: "Coverage and keystone per CSM" });
  const firstCsm = perCsm.getByRole("rowheader").first().getByRole("link");
  const name = (await firstCsm.textContent()) ?? "";
  await firstCsm.click();
  await expect(page).toHaveURL(/owner=\d+/);
  await expect(page.getByRole("form", { name: "Dashboard filters" }).getByLabel("CSM")).toHaveValue(/\d+/);
  if (javaScriptEnabled) await page.getByText("Coverage and keystone per CSM as a table").click();
  await expect(page.getByRole("table", { name: "Coverage and keystone per CSM" }).getByRole("rowheader")).toHaveText([name]);
});

test("a figure drills down to the accounts behind it, and tables export as CSV", async ({
  page,
  javaScriptEnabled,
}) => {
  await open(page, `/dashboard?as_of=${PAST}`, javaScriptEnabled);
  const coverage = page.getByRole("article", { name: "Coverage" });
  const text = await coverage.textContent();
  const uncovered = accounts(text, 2) - accounts(text, 1);
  expect(uncovered).toBeGreaterThan(50);

  // The trend's CSV: a header and a row per week.
  const series = await download(page, page.getByRole("figure").filter({ hasText: "Coverage by week" }).getByRole("link", { name: "Download CSV" }));
  const rows = series.trim().split("\r\n");
  expect(rows[0]).toMatch(/^as_of,active_accounts,covered_accounts,coverage,/);
  expect(rows).toHaveLength(54);

  await coverage.getByRole("link", { name: /without a current outcome/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Accounts without a current outcome" })).toBeVisible();
  await expect(page.getByText("as of 1 Oct 2025 · All accounts")).toBeVisible();
  await expect(page.getByRole("status")).toContainText(`Showing 1–50 of ${uncovered.toLocaleString("en-US")} accounts`);
  const list = page.getByRole("table");
  await expect(list.getByRole("row")).toHaveCount(51);
  await page.getByRole("link", { name: "Next →" }).click();
  await expect(page.getByRole("status")).toContainText("Showing 51–");
  await expect(page).toHaveURL(/page=2/);

  // Every account behind the figure, in the CSV.
  const csv = await download(page, page.getByRole("link", { name: "Download CSV" }));
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toMatch(/^id,name,external_id,owner_id,owner_name,segment,arr,/);
  expect(lines).toHaveLength(uncovered + 1);

  // Back to the same view of the dashboard; an account opens from the list.
  await page.getByRole("link", { name: "← Dashboard" }).click();
  await expect(page.getByText("as of 1 Oct 2025")).toBeVisible();
  await page.getByRole("article", { name: "Keystone" }).getByRole("link", { name: /not on schedule/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Accounts with reviews not on schedule" })).toBeVisible();
  const first = page.getByRole("table").getByRole("link").first();
  const accountName = (await first.textContent()) ?? "";
  await first.click();
  await expect(page.getByRole("heading", { level: 1, name: accountName })).toBeVisible();
});

test("the pilot report shows the pilot cohort since its start", async ({ page, javaScriptEnabled }) => {
  await open(page, "/dashboard", javaScriptEnabled);
  const all = accounts(await page.getByRole("article", { name: "Coverage" }).textContent());
  await page.getByRole("link", { name: "Pilot report" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Pilot report" })).toBeVisible();
  const coverage = page.getByRole("article", { name: "Coverage" });
  await expect(coverage).toContainText(/since the pilot started on \d+ \w+ \d{4}/);
  const pilot = accounts(await coverage.textContent());
  expect(pilot).toBeGreaterThan(0);
  expect(pilot).toBeLessThan(all);
  await expect(page.getByRole("heading", { level: 2, name: "Since the pilot started" })).toBeVisible();
  // Drill-downs keep to the pilot.
  await page.getByRole("article", { name: "Keystone" }).getByRole("link", { name: /not on schedule/ }).click();
  await expect(page.getByText(/· pilot cohort$/)).toBeVisible();
});

test("a review recorded in the browser moves the keystone on the dashboard", async ({ page, javaScriptEnabled }) => {
  // Each project takes its own CSM, so the two runs never move each other's figures; neither is
  // csm@keystone.demo (user 5), whose accounts the reviews spec works on.
  const breakdown = await (await page.request.get("/api/v1/metrics/breakdown?by=owner")).json();
  const owners = breakdown.items
    .map((g: { key: string }) => g.key)
    .filter((key: string) => /^\d+$/.test(key) && key !== "5");
  const owner = owners[javaScriptEnabled ? 0 : 1];
  const ids = async (figure: string) => {
    const response = await page.request.get(`/api/v1/metrics/accounts?figure=${figure}&owner_id=${owner}&limit=1000`);
    return (await response.json()).items.map((a: { id: number }) => a.id) as number[];
  };
  const covered = new Set(await ids("covered"));
  const account = (await ids("not_on_schedule")).find((id) => covered.has(id));
  expect(account, "the CSM has an account not on schedule with a current outcome").toBeTruthy();

  await open(page, `/dashboard?owner=${owner}`, javaScriptEnabled);
  const keystone = page.getByRole("article", { name: "Keystone" });
  await expect(keystone).toContainText(/of [\d,]+ accounts/);
  const before = accounts(await keystone.textContent(), 1);

  await open(page, `/accounts/${account}/reviews/record`, javaScriptEnabled);
  const form = page.getByRole("form", { name: "Record review" });
  await form.getByLabel("Held on *").fill(new Date().toISOString().slice(0, 10));
  await form.getByLabel("Notes").fill("Walked through the outcome with the team.");
  await form.locator("fieldset.assessment").first().getByLabel("Assessment").selectOption("on_track");
  await page.getByRole("button", { name: "Save review" }).click();
  await expect(page.getByText("Held · counts")).toBeVisible();

  await open(page, `/dashboard?owner=${owner}`, javaScriptEnabled);
  await expect(page.getByRole("article", { name: "Keystone" })).toContainText(
    `${(before + 1).toLocaleString("en-US")} of`,
  );
});
