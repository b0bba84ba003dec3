// Signs in as the demo admin through the real form and keeps the session for the other specs.
import { expect, test as setup } from "@playwright/test";
import { DEMO_PASSWORD, SIGNED_IN_STATE, SignInPage } from "../pages/app";

setup("sign in as the demo admin", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signIn("admin@keystone.demo", DEMO_PASSWORD);
  await expect(page.getByText("Ada Admin")).toBeVisible();
  await page.context().storageState({ path: SIGNED_IN_STATE });
});
