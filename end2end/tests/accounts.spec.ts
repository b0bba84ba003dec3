// The accounts list and the account page, as a CSM uses them, with and without JavaScript.
import { expect, test } from "../fixtures";
import { AccountDetail, AccountsList, open } from "../pages/app";

test("the accounts list shows the first page of the book with a total", async ({ page, javaScriptEnabled }) => {
  await open(page, "/accounts", javaScriptEnabled);
  const list = new AccountsList(page);
  await expect(list.heading).toBeVisible();
  await expect(list.count).toHaveText(/^Showing 1–50 of 30\d accounts$/);
  expect(await list.names()).toHaveLength(50);
  // 300 demo accounts, plus any another spec has just created.
  await expect(page.getByText(/^Page 1 of [67]$/)).toBeVisible();
});

test("searching by name narrows the list to matching accounts", async ({ page, javaScriptEnabled }) => {
  await open(page, "/accounts", javaScriptEnabled);
  const list = new AccountsList(page);
  const target = (await list.names())[3];
  await list.search.fill(target);
  await list.submit.click();
  await expect(page).toHaveURL(/q=/);
  // With JavaScript the previous list stays on screen until the new one arrives.
  await expect
    .poll(async () => {
      const names = await list.names();
      return names.length > 0 && names.every((name) => name.includes(target));
    })
    .toBe(true);
  await expect(list.search).toHaveValue(target);
});

test("filtering by segment keeps only that segment", async ({ page, javaScriptEnabled }) => {
  await open(page, "/accounts", javaScriptEnabled);
  const list = new AccountsList(page);
  await list.segment.selectOption("Enterprise");
  await list.submit.click();
  await expect(page).toHaveURL(/segment=Enterprise/);
  await expect
    .poll(async () => [...new Set(await page.locator("tbody tr td:nth-child(3)").allTextContents())])
    .toEqual(["Enterprise"]);
  await expect(list.segment).toHaveValue("Enterprise");
});

test("sorting by ARR twice puts the largest account first", async ({ page, javaScriptEnabled }) => {
  await open(page, "/accounts", javaScriptEnabled);
  const list = new AccountsList(page);
  await list.sortLink("ARR").click();
  await expect(list.columnHeader("ARR")).toHaveAttribute("aria-sort", "ascending");
  await list.sortLink("ARR").click();
  await expect(list.columnHeader("ARR")).toHaveAttribute("aria-sort", "descending");
  const amounts = (await page.locator("tbody tr td.num").allTextContents()).map((t) =>
    Number(t.replace(/[$,]/g, "")),
  );
  expect(amounts.length).toBe(50);
  expect([...amounts].sort((a, b) => b - a)).toEqual(amounts);
});

test("the next page link moves through the book", async ({ page, javaScriptEnabled }) => {
  await open(page, "/accounts", javaScriptEnabled);
  const list = new AccountsList(page);
  const first = await list.names();
  await list.next.click();
  await expect(list.count).toHaveText(/^Showing 51–100 of 30\d accounts$/);
  await expect(page).toHaveURL(/page=2/);
  expect(await list.names()).not.toEqual(first);
});

test("an account page shows its facts, contacts, outcomes, reviews and renewals", async ({ page, javaScriptEnabled }) => {
  await open(page, "/accounts", javaScriptEnabled);
  const list = new AccountsList(page);
  const name = (await list.names())[0];
  await page.getByRole("link", { name, exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  const detail = new AccountDetail(page);
  await expect(detail.section("Facts")).toContainText("Customer since");
  await expect(detail.section("Contacts").getByRole("row").nth(1)).toBeVisible();
  await expect(detail.section("Business Outcomes")).toBeVisible();
  await expect(detail.section("Business Outcome Reviews")).toBeVisible();
  await expect(detail.section("Renewals")).toBeVisible();
  await page.getByRole("link", { name: "← Accounts" }).click();
  await expect(list.heading).toBeVisible();
});

test("the main navigation reaches every area", async ({ page, javaScriptEnabled }) => {
  await open(page, "/", javaScriptEnabled);
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const [link, heading] of [
    ["Accounts", "Accounts"],
    ["Dashboard", "Dashboard"],
    ["Admin", "Admin"],
    ["Worklist", "Worklist"],
  ]) {
    await nav.getByRole("link", { name: link }).click();
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  }
});

test("an unknown account shows a clear message", async ({ page, javaScriptEnabled }) => {
  await open(page, "/accounts/987654", javaScriptEnabled);
  await expect(page.getByRole("alert")).toContainText("does not exist");
});

test("a CSM lands on their own book, and the filters narrow any book", async ({ browser, javaScriptEnabled }) => {
  const context = await browser.newContext({ javaScriptEnabled, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill("csm@keystone.demo");
  await page.getByLabel("Password").fill("keystone-demo-2026");
  await page.getByRole("button", { name: "Sign in" }).click();
  await open(page, "/accounts", javaScriptEnabled);
  const list = new AccountsList(page);
  const owner = page.getByLabel("Owner");
  const me = (await page.locator(".user-name").textContent())?.split(" · ")[0] ?? "";
  await expect(owner.locator("option:checked")).toHaveText(me);
  await expect
    .poll(async () => [...new Set(await page.locator("tbody tr td:nth-child(2)").allTextContents())])
    .toEqual([me]);

  await page.getByLabel("Current outcome").selectOption("no");
  await list.submit.click();
  await expect(page).toHaveURL(/current=no/);
  await expect(page.getByLabel("Current outcome")).toHaveValue("no");
  await owner.selectOption("all");
  await list.submit.click();
  await expect(page).toHaveURL(/owner=all/);
  await expect(list.count).toContainText("of");
  await context.close();
});

test("an admin creates an account and edits its facts", async ({ page, javaScriptEnabled }) => {
  const name = javaScriptEnabled ? "Northwind Traders (js)" : "Northwind Traders (no-js)";
  await open(page, "/accounts", javaScriptEnabled);
  await page.getByRole("link", { name: "New account" }).click();
  const form = page.getByRole("form", { name: "New account" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("ARR").fill("-10");
  await form.getByLabel("Customer since").fill("2026-01-15");
  await form.getByLabel("Cohorts").fill("pilot");
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(form.getByText("must be a whole amount")).toBeVisible();
  await expect(form.getByLabel("Name")).toHaveValue(name);
  await form.getByLabel("ARR").fill("12,500");
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByRole("region", { name: "Facts" }).locator(".facts")).toContainText("$12,500");
  await expect(page.getByRole("region", { name: "Facts" }).locator(".facts")).toContainText("pilot");

  await page.getByRole("link", { name: "Edit account" }).click();
  const edit = page.getByRole("form", { name: "Edit account" });
  await edit.getByLabel("ARR").fill("40000");
  await edit.getByRole("button", { name: "Save account" }).click();
  await expect(page.getByRole("region", { name: "Facts" }).locator(".facts")).toContainText("$40,000");
});
