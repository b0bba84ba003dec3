//! Accounts, their contacts and renewals: types shared by server and browser, and the `active` rule.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Whether an account is a customer at the end of day `on` (DESIGN.md, "active").
///
/// Active when it started on or before `on` and has not ended by then: an account whose
/// `end_date` is `on` itself is no longer active that day.
pub fn is_active(start_date: NaiveDate, end_date: Option<NaiveDate>, on: NaiveDate) -> bool {
    start_date <= on && end_date.is_none_or(|end| end > on)
}

/// A customer account, as lists, pages and the API show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// Keystone's id.
    pub id: i64,
    /// Company name.
    pub name: String,
    /// The account's id in the CRM.
    pub external_id: Option<String>,
    /// The owner CSM's user id.
    pub owner_id: Option<i64>,
    /// The owner CSM's name.
    pub owner_name: Option<String>,
    /// Segment (Enterprise, Mid-Market, SMB, ...).
    pub segment: String,
    /// Annual recurring revenue, in whole currency units.
    pub arr: i64,
    /// Customer since.
    pub start_date: NaiveDate,
    /// The day the customer left, if it did.
    pub end_date: Option<NaiveDate>,
    /// Next renewal.
    pub renewal_date: Option<NaiveDate>,
    /// Review cadence in days: the account's override, else its segment's.
    pub cadence_days: i64,
    /// Cohort tags, sorted (e.g. `pilot`).
    pub cohorts: Vec<String>,
}

impl Account {
    /// Whether the account is active at the end of day `on`.
    pub fn is_active_on(&self, on: NaiveDate) -> bool {
        is_active(self.start_date, self.end_date, on)
    }
}

/// What a contact is to the account; decision makers and executive sponsors are executives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "TEXT", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum ContactRole {
    /// Signs the contract.
    DecisionMaker,
    /// The customer executive who sponsors the relationship.
    ExecutiveSponsor,
    /// Advocates for the product inside the customer.
    Champion,
    /// Uses the product every day.
    DayToDayUser,
}

impl ContactRole {
    /// Every role, in the order forms list them.
    pub const ALL: [ContactRole; 4] = [
        Self::DecisionMaker,
        Self::ExecutiveSponsor,
        Self::Champion,
        Self::DayToDayUser,
    ];

    /// Whether a contact with this role counts as an executive at a review.
    pub fn is_executive(self) -> bool {
        matches!(self, Self::DecisionMaker | Self::ExecutiveSponsor)
    }

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Self::DecisionMaker => "Decision maker",
            Self::ExecutiveSponsor => "Executive sponsor",
            Self::Champion => "Champion",
            Self::DayToDayUser => "Day-to-day user",
        }
    }
}

/// A person at the customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Contact {
    /// Keystone's id.
    pub id: i64,
    /// The account the contact belongs to.
    pub account_id: i64,
    /// Full name.
    pub name: String,
    /// Email address.
    pub email: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// Role in the relationship.
    pub role: ContactRole,
}

/// How a renewal ended, or that it has not yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "TEXT", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum RenewalResult {
    /// The customer renewed.
    Renewed,
    /// The customer left.
    Churned,
    /// Not decided yet.
    Pending,
}

impl RenewalResult {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Renewed => "Renewed",
            Self::Churned => "Churned",
            Self::Pending => "Pending",
        }
    }
}

/// A renewal of the account's contract.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Renewal {
    /// Keystone's id.
    pub id: i64,
    /// When the renewal is due.
    pub due_on: NaiveDate,
    /// Its result.
    pub result: RenewalResult,
    /// ARR before the renewal.
    pub arr_before: i64,
    /// ARR after it, once known.
    pub arr_after: Option<i64>,
}

/// Columns the accounts list can be sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountSort {
    /// Company name.
    #[default]
    Name,
    /// Annual recurring revenue.
    Arr,
    /// Next renewal date.
    Renewal,
    /// Owner CSM's name.
    Owner,
}

impl AccountSort {
    /// The value used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Arr => "arr",
            Self::Renewal => "renewal",
            Self::Owner => "owner",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        [Self::Name, Self::Arr, Self::Renewal, Self::Owner]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// Whose accounts the list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum OwnerFilter {
    /// Not chosen: a CSM's own book, everyone else's view of all accounts.
    #[default]
    Default,
    /// Every owner's.
    All,
    /// This user's.
    User(i64),
}

impl OwnerFilter {
    /// The owner to filter by for `user`: a CSM lands on their own book.
    pub fn resolve(self, user: &crate::users::model::CurrentUser) -> Option<i64> {
        match self {
            Self::Default if user.role == crate::users::model::Role::Csm && !user.via_token => {
                Some(user.id)
            }
            Self::Default | Self::All => None,
            Self::User(id) => Some(id),
        }
    }
}

/// Longest renewal window the filter accepts, in days.
pub const MAX_RENEWAL_WINDOW: u32 = 3_650;

/// Rows per page of the accounts list.
pub const PAGE_SIZE: u32 = 50;

/// Longest search text accepted; longer input is cut, not refused, since it only narrows a list.
const MAX_SEARCH_CHARS: usize = 100;

/// What the accounts list shows: search text, filter, sort and page. Parsed from the URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountQuery {
    /// Case-insensitive text searched in the name and CRM id.
    pub q: String,
    /// Whose accounts.
    pub owner: OwnerFilter,
    /// Only this segment, when set.
    pub segment: Option<String>,
    /// Only accounts in this cohort, when set.
    pub cohort: Option<String>,
    /// Only accounts with (true) or without (false) a current outcome today, when set.
    pub has_current: Option<bool>,
    /// Only accounts renewing within this many days from today, when set.
    pub renewal_within: Option<u32>,
    /// Sort column.
    pub sort: AccountSort,
    /// Descending order when true.
    pub desc: bool,
    /// Page number, from 1.
    pub page: u32,
}

impl AccountQuery {
    /// Reads the query from URL parameters; anything unknown or malformed falls back to the
    /// default, so that a hand-edited URL still shows a list.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let q: String = get("q")
            .unwrap_or_default()
            .trim()
            .chars()
            .take(MAX_SEARCH_CHARS)
            .collect();
        let nonempty = |key: &str| get(key).filter(|v| !v.trim().is_empty());
        Self {
            q,
            owner: match get("owner").as_deref() {
                Some("all") => OwnerFilter::All,
                Some(id) => id.parse().map(OwnerFilter::User).unwrap_or_default(),
                None => OwnerFilter::Default,
            },
            segment: nonempty("segment"),
            cohort: nonempty("cohort"),
            has_current: match get("current").as_deref() {
                Some("yes") => Some(true),
                Some("no") => Some(false),
                _ => None,
            },
            renewal_within: get("renewal_within")
                .and_then(|d| d.parse().ok())
                .filter(|d| *d >= 1 && *d <= MAX_RENEWAL_WINDOW),
            sort: get("sort")
                .and_then(|s| AccountSort::parse(&s))
                .unwrap_or_default(),
            desc: get("dir").as_deref() == Some("desc"),
            page: get("page")
                .and_then(|p| p.parse().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
        }
    }

    /// The URL query string for this query, leaving out defaults.
    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        if !self.q.is_empty() {
            parts.push(format!(
                "q={}",
                crate::components::format::url_component(&self.q)
            ));
        }
        match self.owner {
            OwnerFilter::Default => {}
            OwnerFilter::All => parts.push("owner=all".into()),
            OwnerFilter::User(id) => parts.push(format!("owner={id}")),
        }
        if let Some(segment) = &self.segment {
            parts.push(format!(
                "segment={}",
                crate::components::format::url_component(segment)
            ));
        }
        if let Some(cohort) = &self.cohort {
            parts.push(format!(
                "cohort={}",
                crate::components::format::url_component(cohort)
            ));
        }
        if let Some(current) = self.has_current {
            parts.push(format!("current={}", if current { "yes" } else { "no" }));
        }
        if let Some(days) = self.renewal_within {
            parts.push(format!("renewal_within={days}"));
        }
        if self.sort != AccountSort::default() {
            parts.push(format!("sort={}", self.sort.as_str()));
        }
        if self.desc {
            parts.push("dir=desc".into());
        }
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// The same query sorted by `sort`: toggles the direction when already sorted by it, and
    /// goes back to the first page.
    pub fn sorted_by(&self, sort: AccountSort) -> Self {
        Self {
            desc: self.sort == sort && !self.desc,
            sort,
            page: 1,
            ..self.clone()
        }
    }

    /// The same query on another page.
    pub fn on_page(&self, page: u32) -> Self {
        Self {
            page,
            ..self.clone()
        }
    }

    /// Rows to skip for this page.
    pub fn offset(&self) -> u32 {
        (self.page.max(1) - 1).saturating_mul(PAGE_SIZE)
    }
}

/// Number of pages that `total` accounts fill (at least 1, so an empty list has a page).
pub fn page_count(total: i64) -> u32 {
    let pages = (total.max(0) as u64).div_ceil(u64::from(PAGE_SIZE)).max(1);
    u32::try_from(pages).unwrap_or(u32::MAX)
}

/// One page of the accounts list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountPage {
    /// The rows of this page.
    pub items: Vec<Account>,
    /// How many accounts match the query in all.
    pub total: i64,
    /// The page shown, from 1: the one asked for, or the last one when that was past the end.
    pub page: u32,
    /// The owner the list was filtered by (a CSM's own book unless they chose otherwise).
    pub owner: Option<i64>,
}

impl AccountPage {
    /// Number of pages for the matching accounts (at least 1).
    pub fn page_count(&self) -> u32 {
        page_count(self.total)
    }

    /// Position of the first row shown, from 1 (0 when there are none).
    pub fn first_row(&self) -> i64 {
        if self.items.is_empty() {
            0
        } else {
            i64::from(self.page - 1) * i64::from(PAGE_SIZE) + 1
        }
    }

    /// Position of the last row shown (0 when there are none).
    pub fn last_row(&self) -> i64 {
        (self.first_row() + self.items.len() as i64 - 1).max(0)
    }
}

/// What the accounts list's filters offer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FilterOptions {
    /// Segment names.
    pub segments: Vec<String>,
    /// Cohort names.
    pub cohorts: Vec<String>,
    /// `(user id, name)` of every CSM and every user who owns an account.
    pub owners: Vec<(i64, String)>,
}

/// Everything the account page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountDetail {
    /// The server's today, against which "current" and "active" are shown.
    pub as_of: NaiveDate,
    /// The account's facts.
    pub account: Account,
    /// Its contacts, executives first.
    pub contacts: Vec<Contact>,
    /// Its outcomes, newest first.
    pub outcomes: Vec<crate::outcomes::model::Outcome>,
    /// Its reviews, newest first.
    pub reviews: Vec<crate::reviews::model::ReviewSummary>,
    /// Where it stands with its reviews today.
    pub standing: crate::reviews::status::Standing,
    /// The latest counting review had no executive: the day it was held.
    pub executive_flag: Option<NaiveDate>,
    /// Whether the signed-in user may schedule and record its reviews.
    pub can_record: bool,
    /// Its renewals, newest first.
    pub renewals: Vec<Renewal>,
    /// Whether the signed-in user may change its contacts and outcomes.
    pub can_edit: bool,
    /// Whether the signed-in user may change its facts (admins and leaders).
    pub can_manage: bool,
}

impl AccountDetail {
    /// Whether any contact is a decision maker or executive sponsor: a gap worth seeing when not.
    pub fn has_executive_contact(&self) -> bool {
        self.contacts.iter().any(|c| c.role.is_executive())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    #[test]
    fn an_account_is_active_from_its_start_date_on() {
        assert!(!is_active(day("2026-03-01"), None, day("2026-02-28")));
        assert!(is_active(day("2026-03-01"), None, day("2026-03-01")));
        assert!(is_active(day("2026-03-01"), None, day("2030-01-01")));
    }

    #[test]
    fn an_account_is_no_longer_active_on_its_end_date() {
        let (start, end) = (day("2025-01-01"), Some(day("2026-06-30")));
        assert!(is_active(start, end, day("2026-06-29")));
        assert!(!is_active(start, end, day("2026-06-30")));
        assert!(!is_active(start, end, day("2026-07-01")));
    }

    #[test]
    fn an_account_that_ends_the_day_it_starts_is_never_active() {
        assert!(!is_active(
            day("2026-01-01"),
            Some(day("2026-01-01")),
            day("2026-01-01")
        ));
    }

    #[test]
    fn executives_are_decision_makers_and_executive_sponsors() {
        let executives: Vec<_> = ContactRole::ALL
            .into_iter()
            .filter(|r| r.is_executive())
            .collect();
        assert_eq!(
            executives,
            vec![ContactRole::DecisionMaker, ContactRole::ExecutiveSponsor]
        );
    }

    #[test]
    fn a_query_is_read_from_url_parameters_with_safe_fallbacks() {
        let params = |k: &str| match k {
            "q" => Some("  acme ".to_string()),
            "segment" => Some("SMB".to_string()),
            "sort" => Some("arr".to_string()),
            "dir" => Some("desc".to_string()),
            "page" => Some("3".to_string()),
            _ => None,
        };
        let query = AccountQuery::from_params(params);
        assert_eq!(query.q, "acme");
        assert_eq!(query.segment.as_deref(), Some("SMB"));
        assert_eq!(query.sort, AccountSort::Arr);
        assert!(query.desc);
        assert_eq!(query.page, 3);
        assert_eq!(query.offset(), 100);

        let odd = AccountQuery::from_params(|k| match k {
            "sort" => Some("DROP TABLE".to_string()),
            "page" => Some("0".to_string()),
            "segment" => Some(" ".to_string()),
            _ => None,
        });
        assert_eq!(
            odd,
            AccountQuery {
                page: 1,
                ..AccountQuery::default()
            }
        );
    }

    #[test]
    fn a_query_string_encodes_its_values_and_leaves_out_defaults() {
        let query = AccountQuery {
            q: "Müller & Co".into(),
            owner: OwnerFilter::User(7),
            segment: Some("Mid-Market".into()),
            cohort: Some("pilot".into()),
            has_current: Some(false),
            renewal_within: Some(90),
            sort: AccountSort::Renewal,
            desc: true,
            page: 2,
        };
        let qs = query.to_query_string();
        assert_eq!(
            qs,
            "?q=M%C3%BCller%20%26%20Co&owner=7&segment=Mid-Market&cohort=pilot&current=no\
             &renewal_within=90&sort=renewal&dir=desc&page=2"
        );
        let params: Vec<(String, String)> = qs[1..]
            .split('&')
            .map(|pair| {
                let (k, v) = pair.split_once('=').expect("pair");
                (
                    k.to_string(),
                    v.replace("%20", " ")
                        .replace("%26", "&")
                        .replace("%C3%BC", "ü"),
                )
            })
            .collect();
        let parsed = AccountQuery::from_params(|k| {
            params
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        });
        assert_eq!(parsed, query, "a query survives its own URL");
        assert_eq!(
            AccountQuery {
                page: 1,
                ..AccountQuery::default()
            }
            .to_query_string(),
            ""
        );
    }

    #[test]
    fn sorting_by_the_same_column_again_reverses_it_and_returns_to_page_one() {
        let query = AccountQuery {
            page: 4,
            ..AccountQuery::default()
        };
        let by_arr = query.sorted_by(AccountSort::Arr);
        assert_eq!(
            (by_arr.sort, by_arr.desc, by_arr.page),
            (AccountSort::Arr, false, 1)
        );
        let again = by_arr.sorted_by(AccountSort::Arr);
        assert!(again.desc);
    }

    #[test]
    fn a_page_count_rounds_up_and_is_never_zero() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(50), 1);
        assert_eq!(page_count(51), 2);
        assert_eq!(page_count(100_000), 2000);
    }

    #[test]
    fn a_page_knows_the_positions_of_its_first_and_last_rows() {
        let account = Account {
            id: 1,
            name: "Acme".into(),
            external_id: None,
            owner_id: None,
            owner_name: None,
            segment: "SMB".into(),
            arr: 0,
            start_date: "2026-01-01".parse().expect("date"),
            end_date: None,
            renewal_date: None,
            cadence_days: 180,
            cohorts: vec![],
        };
        let third = AccountPage {
            items: vec![account; 7],
            total: 107,
            page: 3,
            owner: None,
        };
        assert_eq!((third.first_row(), third.last_row()), (101, 107));
        let empty = AccountPage {
            items: vec![],
            total: 0,
            page: 1,
            owner: None,
        };
        assert_eq!((empty.first_row(), empty.last_row()), (0, 0));
    }
}
