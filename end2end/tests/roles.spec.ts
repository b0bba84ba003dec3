// Each demo role signs in and sees only what it may: the navigation, and the pages behind it.
import { expect, test } from "../fixtures";
import { DEMO_PASSWORD, SignInPage } from "../pages/app";

test.use({ storageState: { cookies: [], origins: [] } });

const roles = [
  { email: "admin@keystone.demo", role: "admin", nav: ["Worklist", "Accounts", "Dashboard", "Admin"] },
  { email: "leader@keystone.demo", role: "leader", nav: ["Worklist", "Accounts", "Dashboard"] },
  { email: "csm@keystone.demo", role: "csm", nav: ["Worklist", "Accounts", "Dashboard"] },
  { email: "pilot@keystone.demo", role: "pilot", nav: ["Worklist", "Accounts", "Dashboard"] },
  { email: "viewer@keystone.demo", role: "viewer", nav: ["Dashboard"] },
];

for (const { email, role, nav } of roles) {
  test(`the ${role} sees only what the role may, then signs out`, async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    await signIn.signIn(email, DEMO_PASSWORD);
    await expect(page.getByRole("banner").getByText(`· ${role}`)).toBeVisible();
    // Everyone lands on the worklist but viewers, who read dashboards only.
    await expect(page).toHaveURL(role === "viewer" ? /\/dashboard$/ : /\/$/);
    // A pilot user's worklist is the pilot cohort's accounts.
    if (role === "pilot") {
      await expect(page.getByRole("heading", { level: 1, name: "Worklist · pilot cohort" })).toBeVisible();
    }

    const links = page.getByRole("navigation", { name: "Main" }).getByRole("link");
    await expect(links).toHaveText(nav);

    await page.goto("/admin");
    if (role === "admin") {
      await expect(page.getByRole("heading", { level: 1, name: "Admin" })).toBeVisible();
    } else {
      await expect(page.getByRole("alert")).toHaveText("You do not have access to this.");
    }
    await page.goto("/accounts");
    if (nav.includes("Accounts")) {
      await expect(page.getByRole("heading", { level: 1, name: "Accounts" })).toBeVisible();
    } else {
      await expect(page.getByRole("alert")).toHaveText("You do not have access to this.");
    }

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
  });
}
