// Signing in and out, with and without JavaScript.
import { expect, test } from "../fixtures";
import { DEMO_PASSWORD, SignInPage } from "../pages/app";

test.use({ storageState: { cookies: [], origins: [] } });

test("an anonymous visitor is sent to sign in and comes back to the page asked for", async ({ page }) => {
  await page.goto("/accounts?owner=all&page=2");
  await expect(page).toHaveURL(/\/login\?next=%2Faccounts%3Fowner%3Dall%26page%3D2/);
  const signIn = new SignInPage(page);
  await signIn.signIn("csm@keystone.demo", DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/accounts\?owner=all&page=2$/);
  await expect(page.getByRole("status")).toHaveText(/^Showing 51–100 of 30\d accounts$/);
  await expect(page.getByText("· csm")).toBeVisible();
});

test("a wrong password says so once and keeps the email", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signIn("leader@keystone.demo", "not-the-password");
  await expect(page.getByRole("alert")).toHaveText("That email and password do not match. Please try again.");
  await expect(signIn.email).toHaveValue("leader@keystone.demo");
  await expect(signIn.password).toHaveValue("");
});

test("signing out ends the session", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signIn("viewer@keystone.demo", DEMO_PASSWORD);
  await expect(page.getByText("Victor Viewer")).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/accounts");
  await expect(page).toHaveURL(/\/login\?next=/);
});

test("a viewer reads dashboards but not accounts", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signIn("viewer@keystone.demo", DEMO_PASSWORD);
  await page.goto("/accounts");
  await expect(page.getByRole("alert")).toHaveText("You do not have access to this.");
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
});
