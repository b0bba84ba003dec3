// Business Outcomes as a user edits them: create, edit with a reason, renew, retire, the history,
// the timeline, and a stale save. Each project works on its own account, so runs never collide.
import { expect, test } from "../fixtures";
import { OutcomePages, open } from "../pages/app";

test("an outcome is created, edited, renewed and retired, and each change is in its history", async ({
  page,
  javaScriptEnabled,
}) => {
  const accountId = javaScriptEnabled ? 11 : 12;
  const title = javaScriptEnabled ? "Cut onboarding to 10 days (js)" : "Cut onboarding to 10 days (no-js)";
  const outcomes = new OutcomePages(page);

  await open(page, `/accounts/${accountId}`, javaScriptEnabled);
  await page.getByRole("link", { name: "Add outcome" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New Business Outcome" })).toBeVisible();

  // A mistake is explained next to its field, and nothing typed is lost.
  await outcomes.field("New outcome", "Title *").fill(title);
  await outcomes.field("New outcome", "Success measure").fill("Median days to first value");
  await outcomes.field("New outcome", "Target").fill("10");
  await outcomes.field("New outcome", "Valid from *").fill("2026-12-01");
  await outcomes.field("New outcome", "Expires on *").fill("2026-11-01");
  await page.getByRole("button", { name: "Create outcome" }).click();
  await expect(outcomes.form("New outcome").getByText("must not be before the start date")).toBeVisible();
  await expect(outcomes.field("New outcome", "Expires on *")).toHaveAttribute("aria-invalid", "true");
  await expect(outcomes.field("New outcome", "Title *")).toHaveValue(title);
  await expect(outcomes.field("New outcome", "Target")).toHaveValue("10");

  await outcomes.field("New outcome", "Expires on *").fill("2027-12-01");
  await page.getByRole("button", { name: "Create outcome" }).click();
  await expect(outcomes.savedNotice(1)).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

  // Edit: a reason is required, and the change shows as a diff.
  await page.getByRole("link", { name: "Edit outcome" }).click();
  await outcomes.field("Edit outcome", "Status").selectOption("at_risk");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(outcomes.form("Edit outcome").getByText("is required")).toBeVisible();
  await expect(outcomes.field("Edit outcome", "Status")).toHaveValue("at_risk");
  await outcomes.field("Edit outcome", "Reason for this change *").fill("Customer escalated onboarding delays");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(outcomes.savedNotice(2)).toBeVisible();
  const latest = outcomes.history().getByRole("listitem").first();
  await expect(latest).toContainText("Customer escalated onboarding delays");
  await expect(latest.getByRole("row", { name: /Status/ })).toContainText("On track");
  await expect(latest.getByRole("row", { name: /Status/ })).toContainText("At risk");

  // Renew in one action.
  await outcomes.field("Renew outcome", "New expiry date *").fill("2028-06-30");
  await outcomes.field("Renew outcome", "Reason for renewing *").fill("Extended with the renewal");
  await page.getByRole("button", { name: "Renew" }).click();
  await expect(outcomes.savedNotice(3)).toBeVisible();
  await expect(page.getByText("30 Jun 2028").first()).toBeVisible();

  // Retire: it stops being current, and the forms to change it go away.
  await outcomes.field("Retire outcome", "Reason for retiring *").fill("Superseded by a broader outcome");
  await page.getByRole("button", { name: "Retire" }).click();
  await expect(outcomes.savedNotice(4)).toBeVisible();
  await expect(page.locator(".page-header").getByText("Retired")).toBeVisible();
  await expect(page.getByRole("form", { name: "Renew outcome" })).toHaveCount(0);
  await expect(outcomes.history().getByRole("listitem")).toHaveCount(4);

  // The account's timeline: a chart with JavaScript, the same data as a table without.
  await page.getByRole("link", { name: /^← / }).click();
  const figure = page.locator("figure.chart-figure");
  if (javaScriptEnabled) {
    await expect(figure.locator("#outcome-timeline canvas")).toBeVisible();
    await expect(figure.locator("details")).not.toHaveAttribute("open", "");
    // Hovering the outcome's row shows its title, dates and status.
    const chart = figure.locator("#outcome-timeline");
    await chart.scrollIntoViewIfNeeded();
    const box = await chart.boundingBox();
    let tooltip = "";
    await page.waitForTimeout(1000); // the chart's entry animation
    for (let y = 20; box && y < box.height && !tooltip.includes(title); y += 12) {
      await page.mouse.move(box.x + box.width / 2, box.y + y, { steps: 2 });
      await page.waitForTimeout(250);
      tooltip = await chart.innerText();
    }
    expect(tooltip).toContain(`${title} · 1 Dec 2026 → `);
    expect(tooltip).toContain("(retired) · At risk");
    await figure.getByText("Timeline as a table").click();
  } else {
    await expect(figure.locator("#outcome-timeline")).toBeHidden();
  }
  await expect(figure.getByRole("table")).toContainText(title);
  await expect(figure.getByRole("row", { name: new RegExp(title.replace(/[()]/g, ".")) })).toContainText("Retirement");
});

test("a save based on an older revision shows the other change and keeps the input", async ({
  browser,
  javaScriptEnabled,
}) => {
  test.skip(!javaScriptEnabled, "two live editors need the hydrated app; no-JS is covered by integration tests");
  const context = await browser.newContext({ storageState: test.info().project.use.storageState as string });
  const [first, second] = [await context.newPage(), await context.newPage()];
  await open(first, "/accounts/13", true);
  await first.getByRole("link", { name: "Add outcome" }).click();
  const outcomes = new OutcomePages(first);
  await outcomes.field("New outcome", "Title *").fill("Grow weekly active users");
  await first.getByRole("button", { name: "Create outcome" }).click();
  await expect(outcomes.savedNotice(1)).toBeVisible();
  const editUrl = first.url().replace(/\?.*$/, "") + "/edit";

  await open(first, editUrl, true);
  await open(second, editUrl, true);
  await outcomes.field("Edit outcome", "Title *").fill("Grow weekly active users to 500");
  await outcomes.field("Edit outcome", "Reason for this change *").fill("A number to aim for");
  await first.getByRole("button", { name: "Save changes" }).click();
  await expect(outcomes.savedNotice(2)).toBeVisible();

  const late = new OutcomePages(second);
  await late.field("Edit outcome", "Success measure").fill("Weekly active users in the product");
  await late.field("Edit outcome", "Reason for this change *").fill("Say how it is measured");
  await second.getByRole("button", { name: "Save changes" }).click();
  const notice = second.getByRole("alert");
  await expect(notice).toContainText("Someone else saved a change");
  await expect(notice).toContainText("Grow weekly active users to 500");
  await expect(late.field("Edit outcome", "Success measure")).toHaveValue("Weekly active users in the product");

  // Having seen it, saving again applies this input on top of the other change.
  // The title this editor left alone now shows the other change, so saving keeps both.
  await expect(late.field("Edit outcome", "Title *")).toHaveValue("Grow weekly active users to 500");
  await second.getByRole("button", { name: "Save changes" }).click();
  await expect(late.savedNotice(3)).toBeVisible();
  await expect(second.getByRole("heading", { level: 1, name: "Grow weekly active users to 500" })).toBeVisible();
  await expect(second.locator(".facts")).toContainText("Weekly active users in the product");
  await context.close();
});
