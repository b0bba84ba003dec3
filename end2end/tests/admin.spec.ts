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

test("an admin adds a user; a mistake is shown next to its field and nothing typed is lost", async ({
  page,
  javaScriptEnabled,
}) => {
  const email = javaScriptEnabled ? "new.js@example.com" : "new.nojs@example.com";
  await open(page, "/admin", javaScriptEnabled);
  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Name").fill("Nia Newcomer");
  await form.getByLabel("Email").fill(email.replace("@", " at "));
  await form.getByLabel("Role").selectOption("leader");
  await form.getByLabel("Initial password").fill("a long enough secret");
  await form.getByRole("button", { name: "Add user" }).click();

  await expect(form.getByText("must be an email address")).toBeVisible();
  await expect(form.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Name")).toHaveValue("Nia Newcomer");
  await expect(form.getByLabel("Role")).toHaveValue("leader");

  await form.getByLabel("Email").fill(email);
  // Without JavaScript the page came back from the server, which never echoes a password.
  await form.getByLabel("Initial password").fill("a long enough secret");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByRole("status").filter({ hasText: "User added" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: email })).toContainText("leader");
});

test("an admin adds a target milestone, which the ramp then lists, and removes it", async ({
  page,
  javaScriptEnabled,
}) => {
  // Each project its own day, so the two runs never touch each other's milestone.
  const day = javaScriptEnabled ? "2031-01-01" : "2031-02-01";
  const shown = javaScriptEnabled ? "1 Jan 2031" : "1 Feb 2031";
  await open(page, "/admin", javaScriptEnabled);
  await page.getByRole("link", { name: "Targets" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Targets" })).toBeVisible();
  const form = page.getByRole("form", { name: "Add or change a milestone" });
  await form.getByLabel("Metric").selectOption("keystone");
  await form.getByLabel("For").selectOption("Mid-Market");
  await form.getByLabel("On").fill(day);
  await form.getByLabel("Target (%)").fill("140");
  await form.getByRole("button", { name: "Save milestone" }).click();
  const percent = page.getByRole("form", { name: "Add or change a milestone" }).getByLabel("Target (%)");
  await expect(percent).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("must be a number from 0 to 100")).toBeVisible();
  await expect(page.getByRole("form", { name: "Add or change a milestone" }).getByLabel("On")).toHaveValue(day);

  await percent.fill("95");
  await page.getByRole("form", { name: "Add or change a milestone" }).getByRole("button", { name: "Save milestone" }).click();
  const row = page.getByRole("table", { name: "Target milestones" }).getByRole("row").filter({ hasText: shown });
  await expect(row).toContainText("Mid-Market");
  await expect(row).toContainText("95.0 %");
  await row.getByRole("button", { name: /^Remove the keystone milestone/ }).click();
  await expect(page.getByRole("table", { name: "Target milestones" }).getByRole("row").filter({ hasText: shown })).toHaveCount(0);
});
