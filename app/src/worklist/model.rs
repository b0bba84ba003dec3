//! The worklist: what needs a CSM's action on their accounts today, grouped, from the rules of
//! DESIGN.md (review status, current, stale, expiring, early warning, onboarding gap).

use crate::components::format;
use crate::outcomes::model::{is_current, OutcomeStatus};
use crate::reviews::status::{standing, ReviewStatus};
use crate::settings::Rules;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Days ahead in which a current outcome counts as expiring.
pub const EXPIRING_DAYS: i64 = 30;
/// Days ahead in which a renewal raises an early warning.
pub const RENEWAL_WARNING_DAYS: i64 = 180;
/// Days after its start during which an account is onboarding.
pub const ONBOARDING_WINDOW_DAYS: i64 = 90;

/// A group of the worklist, in the order the page shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkGroup {
    /// Not on schedule, reviewed before.
    ReviewsOverdue,
    /// On schedule, window closing within two weeks.
    ReviewsDueSoon,
    /// Not on schedule, never reviewed.
    NeverReviewed,
    /// Active with no current outcome.
    NoCurrentOutcome,
    /// A current outcome expires within 30 days.
    OutcomesExpiring,
    /// A current outcome was neither revised nor assessed for too long.
    StaleOutcomes,
    /// Started recently and had no current outcome in time.
    OnboardingGaps,
    /// Renewal within 180 days with an outcome at risk or off track, or none current.
    EarlyWarnings,
    /// The last counting review had no executive.
    ExecutiveFlags,
}

impl WorkGroup {
    /// Every group, in page order.
    pub const ALL: [WorkGroup; 9] = [
        Self::ReviewsOverdue,
        Self::ReviewsDueSoon,
        Self::NeverReviewed,
        Self::NoCurrentOutcome,
        Self::OutcomesExpiring,
        Self::StaleOutcomes,
        Self::OnboardingGaps,
        Self::EarlyWarnings,
        Self::ExecutiveFlags,
    ];

    /// The value used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReviewsOverdue => "reviews_overdue",
            Self::ReviewsDueSoon => "reviews_due_soon",
            Self::NeverReviewed => "never_reviewed",
            Self::NoCurrentOutcome => "no_current_outcome",
            Self::OutcomesExpiring => "outcomes_expiring",
            Self::StaleOutcomes => "stale_outcomes",
            Self::OnboardingGaps => "onboarding_gaps",
            Self::EarlyWarnings => "early_warnings",
            Self::ExecutiveFlags => "executive_flags",
        }
    }

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Self::ReviewsOverdue => "Reviews overdue",
            Self::ReviewsDueSoon => "Reviews due soon",
            Self::NeverReviewed => "Never reviewed",
            Self::NoCurrentOutcome => "No current outcome",
            Self::OutcomesExpiring => "Outcomes expiring within 30 days",
            Self::StaleOutcomes => "Stale outcomes",
            Self::OnboardingGaps => "Onboarding gaps",
            Self::EarlyWarnings => "Early warnings",
            Self::ExecutiveFlags => "Build the executive relationship",
        }
    }
}

/// One thing to do: the account, why, and the one-click action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkItem {
    /// The account.
    pub account_id: i64,
    /// Its name.
    pub account_name: String,
    /// Why it is listed, in words.
    pub reason: String,
    /// Its ARR (the ARR at stake, for early warnings).
    pub arr: i64,
    /// The outcome concerned, for outcome groups.
    pub outcome_id: Option<i64>,
    /// What to do: `(label, address)`.
    pub action: (String, String),
}

/// One group and its items, sorted most urgent first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkGroupItems {
    /// The group.
    pub group: WorkGroup,
    /// Its items.
    pub items: Vec<WorkItem>,
}

/// A CSM's worklist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Worklist {
    /// The day it was computed for.
    pub as_of: NaiveDate,
    /// Whose accounts (none chosen yet: the page asks).
    pub owner: Option<(i64, String)>,
    /// Or which cohort's (a pilot user's worklist is the pilot cohort's).
    pub cohort: Option<String>,
    /// The CSMs a leader can pick.
    pub owners: Vec<(i64, String)>,
    /// Every group, in page order (empty ones included).
    pub groups: Vec<WorkGroupItems>,
}

/// Whose accounts a worklist is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The accounts an owner CSM owns.
    Owner(i64),
    /// The accounts of a cohort (the pilot's, for pilot users).
    Cohort(String),
}

/// What the rules need of an account.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AccountFacts {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// ARR.
    pub arr: i64,
    /// Customer since.
    pub start_date: NaiveDate,
    /// Next renewal.
    pub renewal_date: Option<NaiveDate>,
    /// Review cadence in days.
    pub cadence_days: i64,
}

/// What the rules need of an outcome.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OutcomeFacts {
    /// Its id.
    pub id: i64,
    /// Its account.
    pub account_id: i64,
    /// Its title.
    pub title: String,
    /// First day current.
    pub valid_from: NaiveDate,
    /// Last day current.
    pub expires_on: NaiveDate,
    /// Retired on.
    pub retired_on: Option<NaiveDate>,
    /// Latest assessment.
    pub status: OutcomeStatus,
    /// The day of its latest revision, or of the latest counting review that assessed it.
    pub touched_on: NaiveDate,
}

/// What the rules need of a counting review.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ReviewFacts {
    /// Its account.
    pub account_id: i64,
    /// Its id.
    pub id: i64,
    /// Held on.
    pub held_on: NaiveDate,
    /// Whether an executive attended.
    pub executive_present: bool,
}

/// Whether a current outcome last touched on `touched_on` is stale on `on`.
pub fn is_stale(touched_on: NaiveDate, stale_after_days: i64, on: NaiveDate) -> bool {
    (on - touched_on).num_days() >= stale_after_days
}

/// Whether a current outcome expiring on `expires_on` is expiring on `on`.
pub fn is_expiring(expires_on: NaiveDate, on: NaiveDate) -> bool {
    (expires_on - on).num_days() <= EXPIRING_DAYS
}

/// Whether an account that started on `start_date` is in an onboarding gap on `on`: it started
/// within the last 90 days, its onboarding period has passed, and none of its outcomes
/// (`(valid_from, expires_on, retired_on)`) was current on any day of that period.
pub fn onboarding_gap(
    start_date: NaiveDate,
    onboarding_days: i64,
    outcomes: impl IntoIterator<Item = (NaiveDate, NaiveDate, Option<NaiveDate>)>,
    on: NaiveDate,
) -> bool {
    let deadline = start_date + chrono::Days::new(u64::try_from(onboarding_days).unwrap_or(0));
    let recent = (on - start_date).num_days() < ONBOARDING_WINDOW_DAYS && start_date <= on;
    if !recent || deadline >= on {
        return false;
    }
    !outcomes
        .into_iter()
        .any(|(valid_from, expires_on, retired_on)| {
            let first = valid_from.max(start_date);
            first <= deadline && is_current(valid_from, expires_on, retired_on, first)
        })
}

/// [`onboarding_gap`] over the worklist's outcome facts.
pub fn is_onboarding_gap(
    start_date: NaiveDate,
    onboarding_days: i64,
    outcomes: &[&OutcomeFacts],
    on: NaiveDate,
) -> bool {
    onboarding_gap(
        start_date,
        onboarding_days,
        outcomes
            .iter()
            .map(|o| (o.valid_from, o.expires_on, o.retired_on)),
        on,
    )
}

/// Whether the statuses of an account's current outcomes call for an early warning (given a
/// renewal within 180 days): none current, or one at risk or off track.
pub fn is_early_warning_status(current: impl IntoIterator<Item = OutcomeStatus>) -> bool {
    let mut none = true;
    for status in current {
        if matches!(status, OutcomeStatus::AtRisk | OutcomeStatus::OffTrack) {
            return true;
        }
        none = false;
    }
    none
}

/// Whether an account raises an early warning on `on`: a renewal within 180 days and an outcome
/// assessed at risk or off track among its current ones, or none current.
pub fn is_early_warning(
    renewal_date: Option<NaiveDate>,
    current: &[&OutcomeFacts],
    on: NaiveDate,
) -> bool {
    let renewing =
        renewal_date.is_some_and(|day| day >= on && (day - on).num_days() <= RENEWAL_WARNING_DAYS);
    renewing && is_early_warning_status(current.iter().map(|o| o.status))
}

/// Where an action link leads.
pub struct Links {
    /// The next scheduled review of each account (to record it).
    pub scheduled: std::collections::HashMap<i64, i64>,
}

impl Links {
    fn review(&self, account_id: i64) -> (String, String) {
        match self.scheduled.get(&account_id) {
            Some(review) => ("Record review".into(), format!("/reviews/{review}/record")),
            None => (
                "Schedule review".into(),
                format!("/accounts/{account_id}/reviews/new"),
            ),
        }
    }
}

/// An item with its sort key: smaller first, then by account name.
type Ranked = ((i64, String), WorkItem);

/// The worklist's groups for `accounts` (active ones) with their outcomes and counting reviews.
pub fn build(
    on: NaiveDate,
    rules: &Rules,
    accounts: &[AccountFacts],
    outcomes: &[OutcomeFacts],
    reviews: &[ReviewFacts],
    links: &Links,
) -> Vec<WorkGroupItems> {
    use std::collections::HashMap;
    let mut by_account: HashMap<i64, Vec<&OutcomeFacts>> = HashMap::new();
    for outcome in outcomes {
        by_account
            .entry(outcome.account_id)
            .or_default()
            .push(outcome);
    }
    let mut last_review: HashMap<i64, &ReviewFacts> = HashMap::new();
    for review in reviews.iter().filter(|r| r.held_on <= on) {
        let entry = last_review.entry(review.account_id).or_insert(review);
        if (review.held_on, review.id) > (entry.held_on, entry.id) {
            *entry = review;
        }
    }
    // (sort key, item) per group; smaller keys first.
    let mut groups: HashMap<WorkGroup, Vec<Ranked>> = HashMap::new();
    let mut add = |group: WorkGroup, key: i64, item: WorkItem| {
        let tie = item.account_name.clone();
        groups.entry(group).or_default().push(((key, tie), item));
    };
    let empty = Vec::new();
    for account in accounts {
        let item = |reason: String, outcome_id: Option<i64>, action: (String, String)| WorkItem {
            account_id: account.id,
            account_name: account.name.clone(),
            reason,
            arr: account.arr,
            outcome_id,
            action,
        };
        let all = by_account.get(&account.id).unwrap_or(&empty);
        let current: Vec<&OutcomeFacts> = all
            .iter()
            .copied()
            .filter(|o| is_current(o.valid_from, o.expires_on, o.retired_on, on))
            .collect();
        let last = last_review.get(&account.id);
        let standing = standing(
            account.start_date,
            account.cadence_days,
            rules.grace_days,
            last.map(|r| r.held_on),
            on,
        );
        let closes = standing.window_closes_on;
        let days_to_close = (closes - on).num_days();
        match standing.status {
            ReviewStatus::Overdue => add(
                WorkGroup::ReviewsOverdue,
                days_to_close,
                item(
                    format!(
                        "Overdue since {} (last counting review {})",
                        format::date(closes),
                        format::opt_date(standing.last_review_on)
                    ),
                    None,
                    links.review(account.id),
                ),
            ),
            ReviewStatus::DueSoon => add(
                WorkGroup::ReviewsDueSoon,
                days_to_close,
                item(
                    format!("Review due by {}", format::date(closes)),
                    None,
                    links.review(account.id),
                ),
            ),
            ReviewStatus::NeverReviewed => add(
                WorkGroup::NeverReviewed,
                -account.arr,
                item(
                    format!(
                        "No counting review since the start on {}",
                        format::date(account.start_date)
                    ),
                    None,
                    links.review(account.id),
                ),
            ),
            ReviewStatus::OnSchedule => {}
        }
        if current.is_empty() {
            add(
                WorkGroup::NoCurrentOutcome,
                -account.arr,
                item(
                    "No current Business Outcome".into(),
                    None,
                    (
                        "Add outcome".into(),
                        format!("/accounts/{}/outcomes/new", account.id),
                    ),
                ),
            );
        }
        for outcome in &current {
            if is_expiring(outcome.expires_on, on) {
                add(
                    WorkGroup::OutcomesExpiring,
                    (outcome.expires_on - on).num_days(),
                    item(
                        format!(
                            "“{}” expires on {}",
                            outcome.title,
                            format::date(outcome.expires_on)
                        ),
                        Some(outcome.id),
                        ("Renew outcome".into(), format!("/outcomes/{}", outcome.id)),
                    ),
                );
            }
            if is_stale(outcome.touched_on, rules.stale_after_days, on) {
                add(
                    WorkGroup::StaleOutcomes,
                    (outcome.touched_on - on).num_days(),
                    item(
                        format!(
                            "“{}” untouched since {}",
                            outcome.title,
                            format::date(outcome.touched_on)
                        ),
                        Some(outcome.id),
                        (
                            "Edit outcome".into(),
                            format!("/outcomes/{}/edit", outcome.id),
                        ),
                    ),
                );
            }
        }
        if is_onboarding_gap(account.start_date, rules.onboarding_days, all, on) {
            add(
                WorkGroup::OnboardingGaps,
                (account.start_date - on).num_days(),
                item(
                    format!(
                        "Started {} with no current outcome within {} days",
                        format::date(account.start_date),
                        rules.onboarding_days
                    ),
                    None,
                    (
                        "Add outcome".into(),
                        format!("/accounts/{}/outcomes/new", account.id),
                    ),
                ),
            );
        }
        if is_early_warning(account.renewal_date, &current, on) {
            let why = if current.is_empty() {
                "no current outcome".to_string()
            } else {
                "an outcome at risk or off track".to_string()
            };
            add(
                WorkGroup::EarlyWarnings,
                -account.arr,
                item(
                    format!(
                        "Renews {} with {why}: {} at stake",
                        format::opt_date(account.renewal_date),
                        format::money(account.arr)
                    ),
                    None,
                    ("Open account".into(), format!("/accounts/{}", account.id)),
                ),
            );
        }
        if let Some(review) = last.filter(|r| !r.executive_present) {
            add(
                WorkGroup::ExecutiveFlags,
                (review.held_on - on).num_days(),
                item(
                    format!(
                        "No executive at the last counting review ({})",
                        format::date(review.held_on)
                    ),
                    None,
                    links.review(account.id),
                ),
            );
        }
    }
    WorkGroup::ALL
        .into_iter()
        .map(|group| {
            let mut items = groups.remove(&group).unwrap_or_default();
            items.sort_by(|a, b| a.0.cmp(&b.0));
            WorkGroupItems {
                group,
                items: items.into_iter().map(|(_, item)| item).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    fn account(id: i64, start: &str, renewal: Option<&str>, arr: i64) -> AccountFacts {
        AccountFacts {
            id,
            name: format!("Account {id}"),
            arr,
            start_date: day(start),
            renewal_date: renewal.map(day),
            cadence_days: 90,
        }
    }

    fn outcome(
        id: i64,
        account_id: i64,
        from: &str,
        to: &str,
        status: OutcomeStatus,
    ) -> OutcomeFacts {
        OutcomeFacts {
            id,
            account_id,
            title: format!("Outcome {id}"),
            valid_from: day(from),
            expires_on: day(to),
            retired_on: None,
            status,
            touched_on: day(from),
        }
    }

    fn ids(groups: &[WorkGroupItems], group: WorkGroup) -> Vec<i64> {
        groups
            .iter()
            .find(|g| g.group == group)
            .map(|g| g.items.iter().map(|i| i.account_id).collect())
            .unwrap_or_default()
    }

    fn links() -> Links {
        Links {
            scheduled: [(2, 77)].into(),
        }
    }

    #[test]
    fn accounts_land_in_the_review_groups_their_status_says() {
        let today = day("2026-12-04");
        let accounts = [
            account(1, "2024-01-01", None, 10),
            account(2, "2024-01-01", None, 20),
            account(3, "2024-01-01", None, 30),
            account(4, "2026-11-01", None, 40),
        ];
        let review = |account_id, id, held: &str| ReviewFacts {
            account_id,
            id,
            held_on: day(held),
            executive_present: true,
        };
        // 1: held 2026-06-01, window closed 2026-09-13: overdue. 2: held 2026-08-25, closes
        // 2026-12-07: due soon. 3: never. 4: started a month ago, first review not due.
        let reviews = [review(1, 1, "2026-06-01"), review(2, 2, "2026-08-25")];
        let groups = build(today, &Rules::default(), &accounts, &[], &reviews, &links());
        assert_eq!(ids(&groups, WorkGroup::ReviewsOverdue), [1]);
        assert_eq!(ids(&groups, WorkGroup::ReviewsDueSoon), [2]);
        assert_eq!(ids(&groups, WorkGroup::NeverReviewed), [3]);
        let due = &groups[1].items[0];
        assert_eq!(
            due.action.1, "/reviews/77/record",
            "a scheduled review is one click away"
        );
        assert_eq!(groups[0].items[0].action.1, "/accounts/1/reviews/new");
        assert_eq!(
            ids(&groups, WorkGroup::NoCurrentOutcome),
            [4, 3, 2, 1],
            "by ARR"
        );
    }

    #[test]
    fn outcomes_expiring_within_30_days_and_stale_ones_are_listed() {
        let today = day("2026-12-04");
        let accounts = [account(1, "2024-01-01", None, 10)];
        let mut stale = outcome(1, 1, "2026-01-01", "2027-06-01", OutcomeStatus::OnTrack);
        stale.touched_on = day("2026-08-06"); // 120 days before
        let mut fresh = outcome(2, 1, "2026-01-01", "2027-01-03", OutcomeStatus::OnTrack);
        fresh.touched_on = day("2026-08-07"); // 119 days before, expires in 30 days
        let groups = build(
            today,
            &Rules::default(),
            &accounts,
            &[stale, fresh],
            &[],
            &links(),
        );
        let stale_ids: Vec<_> = groups[5].items.iter().map(|i| i.outcome_id).collect();
        assert_eq!(stale_ids, [Some(1)]);
        let expiring: Vec<_> = groups[4].items.iter().map(|i| i.outcome_id).collect();
        assert_eq!(expiring, [Some(2)]);
    }

    #[test]
    fn early_warnings_need_a_renewal_within_180_days_and_trouble() {
        let today = day("2026-12-04");
        let at_risk = outcome(1, 1, "2026-01-01", "2027-12-01", OutcomeStatus::AtRisk);
        let fine = outcome(2, 2, "2026-01-01", "2027-12-01", OutcomeStatus::OnTrack);
        assert!(is_early_warning(
            Some(day("2027-06-02")),
            &[&at_risk],
            today
        ));
        assert!(!is_early_warning(
            Some(day("2027-06-03")),
            &[&at_risk],
            today
        ));
        assert!(!is_early_warning(Some(day("2027-01-01")), &[&fine], today));
        assert!(
            is_early_warning(Some(day("2027-01-01")), &[], today),
            "no current outcome"
        );
        assert!(!is_early_warning(None, &[], today));
        assert!(
            !is_early_warning(Some(day("2026-12-01")), &[], today),
            "renewal passed"
        );
    }

    #[test]
    fn an_onboarding_gap_is_a_recent_start_without_an_outcome_in_its_first_days() {
        let today = day("2026-12-04");
        let late = outcome(1, 1, "2026-11-20", "2027-11-20", OutcomeStatus::OnTrack);
        let early = outcome(2, 1, "2026-09-20", "2027-09-20", OutcomeStatus::OnTrack);
        // Started 2026-10-01: the 30 days end 2026-10-31.
        let start = day("2026-10-01");
        assert!(is_onboarding_gap(start, 30, &[&late], today));
        assert!(!is_onboarding_gap(start, 30, &[&early], today));
        assert!(is_onboarding_gap(start, 30, &[], today));
        // Not yet past its 30 days, or started too long ago: no gap.
        assert!(!is_onboarding_gap(day("2026-11-10"), 30, &[], today));
        assert!(!is_onboarding_gap(day("2026-08-01"), 30, &[], today));
    }

    #[test]
    fn the_executive_flag_follows_the_last_counting_review() {
        let today = day("2026-12-04");
        let accounts = [
            account(1, "2024-01-01", None, 10),
            account(2, "2024-01-01", None, 10),
        ];
        let reviews = [
            ReviewFacts {
                account_id: 1,
                id: 1,
                held_on: day("2026-10-01"),
                executive_present: true,
            },
            ReviewFacts {
                account_id: 1,
                id: 2,
                held_on: day("2026-11-01"),
                executive_present: false,
            },
            ReviewFacts {
                account_id: 2,
                id: 3,
                held_on: day("2026-10-01"),
                executive_present: false,
            },
            ReviewFacts {
                account_id: 2,
                id: 4,
                held_on: day("2026-11-01"),
                executive_present: true,
            },
        ];
        let groups = build(today, &Rules::default(), &accounts, &[], &reviews, &links());
        assert_eq!(ids(&groups, WorkGroup::ExecutiveFlags), [1]);
    }
}
