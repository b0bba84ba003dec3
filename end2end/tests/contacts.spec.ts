// Contacts on the account page: add (with a mistake first), edit, remove; with and without JS.
import { expect, test } from "../fixtures";
import { open } from "../pages/app";

test("a contact is added, edited and removed from the account page", async ({ page, javaScriptEnabled }) => {
  const accountId = javaScriptEnabled ? 14 : 15;
  const name = javaScriptEnabled ? "Nadia Petrova (js)" : "Nadia Petrova (no-js)";
  await open(page, `/accounts/${accountId}`, javaScriptEnabled);
  await page.getByRole("link", { name: "Add contact" }).click();
  const form = page.getByRole("form", { name: "New contact" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Email").fill("nadia-at-customer");
  await form.getByLabel("Role").selectOption("decision_maker");
  await form.getByRole("button", { name: "Add contact" }).click();
  await expect(form.getByText("must be an email address")).toBeVisible();
  await expect(form.getByLabel("Name")).toHaveValue(name);
  await form.getByLabel("Email").fill("nadia@customer.example");
  await form.getByRole("button", { name: "Add contact" }).click();

  const contacts = page.getByRole("region", { name: "Contacts" });
  const row = contacts.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Decision maker");
  await row.getByRole("link", { name: `Edit ${name}` }).click();
  const edit = page.getByRole("form", { name: "Edit contact" });
  await edit.getByLabel("Job title").fill("Chief Operating Officer");
  await edit.getByRole("button", { name: "Save contact" }).click();
  await expect(contacts.getByRole("row").filter({ hasText: name })).toContainText("Chief Operating Officer");

  await contacts.getByRole("link", { name: `Edit ${name}` }).click();
  await page.getByRole("button", { name: "Remove contact" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Contacts" })).toBeVisible();
  await expect(contacts.getByRole("row").filter({ hasText: name })).toHaveCount(0);
});
