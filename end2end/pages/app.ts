// Page objects: what a user sees and does, in the words of the UI (roles and labels).
import path from "node:path";
import { expect, type Locator, type Page } from "@playwright/test";

/// Opens a path and, when JavaScript runs, waits until the WASM has hydrated the page.
export async function open(page: Page, path: string, javaScriptEnabled: boolean) {
  await page.goto(path);
  if (javaScriptEnabled) {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  }
}

/// The demo users' password (`keystone demo`; demo database only).
export const DEMO_PASSWORD = "keystone-demo-2026";

/// Where the setup project keeps the signed-in admin's cookies for the other specs.
export const SIGNED_IN_STATE = path.join(__dirname, "..", ".auth", "admin.json");

export class SignInPage {
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.email = page.getByLabel("Email");
    this.password = page.getByLabel("Password");
    this.submit = page.getByRole("button", { name: "Sign in" });
  }

  async goto() {
    await this.page.goto("/login");
  }

  async signIn(email: string, password: string) {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
  }
}

export class AccountsList {
  readonly heading: Locator;
  readonly search: Locator;
  readonly segment: Locator;
  readonly submit: Locator;
  readonly count: Locator;
  readonly rows: Locator;
  readonly next: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "Accounts" });
    this.search = page.getByRole("searchbox", { name: "Search" });
    this.segment = page.getByLabel("Segment");
    this.submit = page.getByRole("button", { name: "Search" });
    this.count = page.getByRole("status");
    this.rows = page.getByRole("table").getByRole("row");
    this.next = page.getByRole("link", { name: "Next →" });
  }

  /// The account names in the table, top to bottom.
  async names(): Promise<string[]> {
    return this.page.getByRole("table").locator("tbody tr td:first-child a").allTextContents();
  }

  columnHeader(name: string): Locator {
    return this.page.getByRole("columnheader", { name });
  }

  sortLink(name: string): Locator {
    return this.columnHeader(name).getByRole("link", { name });
  }
}

export class AccountDetail {
  constructor(readonly page: Page) {}

  section(name: string): Locator {
    return this.page.getByRole("region", { name });
  }
}

/// The outcome pages: new, edit, and the outcome itself with its renew and retire forms.
export class OutcomePages {
  constructor(readonly page: Page) {}

  form(name: string): Locator {
    return this.page.getByRole("form", { name });
  }

  field(form: string, label: string): Locator {
    return this.form(form).getByLabel(label, { exact: true });
  }

  savedNotice(revision: number): Locator {
    return this.page.getByRole("status").filter({ hasText: `Saved as revision ${revision}.` });
  }

  history(): Locator {
    return this.page.getByRole("region", { name: "History" });
  }
}
