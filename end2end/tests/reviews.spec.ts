// Business Outcome Reviews as a CSM works them: from the worklist, schedule a review of an overdue
// account, record it held with attendees, notes and an assessment, and see the account leave the
// overdue group. And a draft of the notes survives the session expiring mid-note.
import { type Page } from "@playwright/test";
import { expect, test } from "../fixtures";
import { DEMO_PASSWORD, SignInPage, open } from "../pages/app";

test.use({ storageState: { cookies: [], origins: [] } });

const CSM = "csm@keystone.demo";

/// Signs in as the demo CSM, who lands on their worklist; answers their name.
async function signInAsCsm(page: Page): Promise<string> {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signIn(CSM, DEMO_PASSWORD);
  const heading = page.getByRole("heading", { level: 1, name: /^Worklist · / });
  await expect(heading).toBeVisible();
  return ((await heading.textContent()) ?? "").replace("Worklist · ", "").trim();
}

/// Overdue accounts of the signed-in CSM that have a current outcome (so a review can count).
async function overdueAccounts(page: Page): Promise<{ account_id: number; account_name: string }[]> {
  const owner = await page.locator("#worklist-owner").inputValue();
  const response = await page.request.get(`/api/v1/worklist?owner_id=${owner}`);
  expect(response.ok()).toBeTruthy();
  const { groups } = await response.json();
  const uncovered = new Set(groups.no_current_outcome.map((i: { account_id: number }) => i.account_id));
  return groups.reviews_overdue.filter((i: { account_id: number }) => !uncovered.has(i.account_id));
}

test("a review is scheduled and recorded from the worklist, and the account is no longer overdue", async ({
  page,
  javaScriptEnabled,
}) => {
  const csmName = await signInAsCsm(page);
  const overdue = await overdueAccounts(page);
  // Each project takes its own account, so the two runs never collide.
  const account = overdue[javaScriptEnabled ? 0 : 1];
  expect(account, "the demo has overdue accounts with a current outcome").toBeTruthy();

  // The worklist lists it among the overdue reviews, with counts at the top.
  await open(page, "/", javaScriptEnabled);
  const overdueGroup = page.locator("section#reviews_overdue");
  await expect(overdueGroup.getByRole("link", { name: account.account_name, exact: true })).toBeVisible();
  await expect(page.locator('.count[data-group="reviews_overdue"]')).not.toHaveText("0");

  // Schedule it on the proposed date, then record it as held.
  await open(page, `/accounts/${account.account_id}`, javaScriptEnabled);
  await expect(page.locator(".review-status")).toHaveText("Overdue");
  await page.getByRole("link", { name: "Schedule review" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Schedule a Business Outcome Review" })).toBeVisible();
  await expect(page.getByLabel("Date *")).not.toHaveValue("");
  await page.getByRole("button", { name: "Schedule review" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Review scheduled for / })).toBeVisible();
  await page.getByRole("link", { name: "Record as held" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Record the review scheduled for / })).toBeVisible();

  // A review without an assessed outcome would not count: the held date cannot be in the future.
  const form = page.getByRole("form", { name: "Record review" });
  await form.getByLabel("Held on *").fill("2999-01-01");
  const attendees = form.getByRole("group", { name: "Attendees" });
  const firstContact = attendees.locator(".checkbox-columns > div").first().getByRole("checkbox").first();
  if ((await firstContact.count()) > 0) await firstContact.check();
  await attendees.getByRole("checkbox", { name: csmName }).check();
  await form.getByLabel("Add a contact who attended").fill(`Vera Visitor ${javaScriptEnabled ? "js" : "nojs"}`);
  await form.getByLabel("Their role").selectOption("executive_sponsor");
  const notes = "They cut onboarding from 24 to 12 days.\n\nNext: roll out to the EU team in Q1.";
  await form.getByLabel("Notes").fill(notes);
  const assessment = form.locator("fieldset.assessment").first();
  await assessment.getByLabel("Assessment").selectOption("on_track");
  await assessment.getByLabel("Comment").fill("Ahead of plan");
  await page.getByRole("button", { name: "Save review" }).click();
  await expect(form.getByText("cannot be in the future")).toBeVisible();
  await expect(form.getByLabel("Notes")).toHaveValue(notes);

  await form.getByLabel("Held on *").fill(new Date().toISOString().slice(0, 10));
  await page.getByRole("button", { name: "Save review" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Review held on / })).toBeVisible();
  await expect(page.getByText("Held · counts")).toBeVisible();
  await expect(page.getByText("An executive attended.")).toBeVisible();
  await expect(page.locator(".notes p")).toHaveCount(2);
  const assessed = page.getByRole("region", { name: "Assessments" });
  await expect(assessed.getByRole("row", { name: /Ahead of plan/ })).toContainText("On track");
  const attended = page.getByRole("region", { name: "Attendees" });
  await expect(attended.getByRole("listitem").filter({ hasText: "Vera Visitor" })).toBeVisible();

  // The account is on schedule, and left the overdue group of the worklist.
  await open(page, `/accounts/${account.account_id}`, javaScriptEnabled);
  await expect(page.locator(".review-status")).toHaveText("On schedule");
  await open(page, "/", javaScriptEnabled);
  await expect(page.getByRole("heading", { level: 1, name: /^Worklist · / })).toBeVisible();
  await expect(
    page.locator("section#reviews_overdue").getByRole("link", { name: account.account_name, exact: true }),
  ).toHaveCount(0);
});

test("notes typed when the session expired come back after signing in again", async ({
  page,
  context,
  javaScriptEnabled,
}) => {
  test.skip(!javaScriptEnabled, "drafts are kept by the browser while typing");
  await signInAsCsm(page);
  const account = (await overdueAccounts(page))[2];
  await open(page, `/accounts/${account.account_id}/reviews/record`, true);
  const form = page.getByRole("form", { name: "Record review" });
  const notesField = form.getByLabel("Notes");
  await notesField.fill("First paragraph, saved as a draft on the server.");
  await expect(page.getByText(/Draft saved at/)).toBeVisible();

  // The session ends while the CSM keeps typing.
  await context.clearCookies();
  const notes = "First paragraph, saved as a draft on the server.\n\nSecond, typed after the session ended.";
  await notesField.fill(notes);
  await expect(page.getByText(/You are signed out: your draft is kept in this browser only/)).toBeVisible();
  await page.getByRole("button", { name: "Save review" }).click();
  await expect(page.getByText(/signed out|sign in/i).first()).toBeVisible();

  // Signing in again and coming back restores everything typed.
  await signInAsCsm(page);
  await open(page, `/accounts/${account.account_id}/reviews/record`, true);
  await expect(page.getByRole("form", { name: "Record review" }).getByLabel("Notes")).toHaveValue(notes);
  await expect(page.getByText(/Restored your unsaved draft/)).toBeVisible();
});
