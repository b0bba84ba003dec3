//! The metrics engine: DESIGN.md's metrics as of any date, over the dated records themselves
//! (account dates, outcome validity and revisions, review dates, renewals). No snapshots: a
//! corrected past record changes past figures.
//!
//! Pure: the server loads a [`Dataset`] and asks it; unit tests build small ones by hand.

use super::model::{Metrics, MetricsFilter};
use crate::outcomes::model::{is_current, OutcomeStatus};
use crate::reviews::status::standing;
use crate::settings::Rules;
use crate::worklist::model::{is_early_warning_status, is_expiring, is_stale};
use chrono::{Days, NaiveDate};

/// Days of the period executive participation is measured over, ending on the as-of day.
pub const PARTICIPATION_DAYS: i64 = 90;
/// Days ahead in which a renewal raises an early warning.
pub const RENEWAL_WARNING_DAYS: i64 = crate::worklist::model::RENEWAL_WARNING_DAYS;
/// Days after its start during which an account is onboarding.
pub const ONBOARDING_WINDOW_DAYS: i64 = crate::worklist::model::ONBOARDING_WINDOW_DAYS;

/// An outcome's dated history.
#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeRecord {
    /// First day current.
    pub valid_from: NaiveDate,
    /// Last day current.
    pub expires_on: NaiveDate,
    /// Retired on (no longer current from that day).
    pub retired_on: Option<NaiveDate>,
    /// Days it was revised or assessed in a counting review, ascending.
    pub touched: Vec<NaiveDate>,
    /// `(day, status)` of every revision that set its status, ascending.
    pub statuses: Vec<(NaiveDate, OutcomeStatus)>,
}

impl OutcomeRecord {
    fn is_current_on(&self, on: NaiveDate) -> bool {
        is_current(self.valid_from, self.expires_on, self.retired_on, on)
    }

    /// The latest touch on or before `on` (its start when it was recorded later).
    fn touched_on(&self, on: NaiveDate) -> NaiveDate {
        latest_on_or_before(&self.touched, on, |d| *d).unwrap_or(self.valid_from)
    }

    /// Its status as assessed on `on` (the first one known when recorded later).
    fn status_on(&self, on: NaiveDate) -> Option<OutcomeStatus> {
        latest_on_or_before(&self.statuses, on, |(d, _)| *d)
            .map(|(_, s)| s)
            .or_else(|| self.statuses.first().map(|(_, s)| *s))
    }
}

/// A counting review (held, with an assessment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReviewRecord {
    /// Held on.
    pub held_on: NaiveDate,
    /// Whether a customer executive attended.
    pub executive_present: bool,
}

/// An account with its dated records.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountRecord {
    /// Keystone's id.
    pub id: i64,
    /// Owner CSM (current).
    pub owner_id: Option<i64>,
    /// Segment (current).
    pub segment: String,
    /// Cohorts (current).
    pub cohorts: Vec<String>,
    /// Customer since.
    pub start_date: NaiveDate,
    /// Left on.
    pub end_date: Option<NaiveDate>,
    /// Review cadence in days.
    pub cadence_days: i64,
    /// Its outcomes.
    pub outcomes: Vec<OutcomeRecord>,
    /// Its counting reviews, by held date ascending.
    pub reviews: Vec<ReviewRecord>,
    /// `(due_on, arr_before)` of its renewals, ascending.
    pub renewals: Vec<(NaiveDate, i64)>,
}

impl AccountRecord {
    fn matches(&self, filter: &MetricsFilter) -> bool {
        filter.segment.as_ref().is_none_or(|s| *s == self.segment)
            && filter
                .cohort
                .as_ref()
                .is_none_or(|c| self.cohorts.contains(c))
            && filter.owner_id.is_none_or(|o| self.owner_id == Some(o))
    }

    fn is_active_on(&self, on: NaiveDate) -> bool {
        crate::accounts::model::is_active(self.start_date, self.end_date, on)
    }
}

/// Everything the metrics are computed from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    /// Every account with its records.
    pub accounts: Vec<AccountRecord>,
}

/// The last item of `sorted` (ascending by `day`) whose day is on or before `on`.
fn latest_on_or_before<T: Copy>(
    sorted: &[T],
    on: NaiveDate,
    day: impl Fn(&T) -> NaiveDate,
) -> Option<T> {
    let after = sorted.partition_point(|item| day(item) <= on);
    after.checked_sub(1).map(|i| sorted[i])
}

fn days(n: i64) -> Days {
    Days::new(u64::try_from(n.max(0)).unwrap_or(0))
}

/// What one account adds to the metrics on a day.
#[derive(Default)]
struct Tally {
    active: u64,
    covered: u64,
    on_schedule: u64,
    counting_reviews: u64,
    with_executive: u64,
    stale: u64,
    expiring: u64,
    early_warning: u64,
    early_warning_arr: i64,
    onboarding_gaps: u64,
}

impl Tally {
    fn add(&mut self, account: &AccountRecord, rules: &Rules, on: NaiveDate) {
        if !account.is_active_on(on) {
            return;
        }
        self.active += 1;
        let current: Vec<&OutcomeRecord> = account
            .outcomes
            .iter()
            .filter(|o| o.is_current_on(on))
            .collect();
        if !current.is_empty() {
            self.covered += 1;
        }
        let last = latest_on_or_before(&account.reviews, on, |r| r.held_on);
        let status = standing(
            account.start_date,
            account.cadence_days,
            rules.grace_days,
            last.map(|r| r.held_on),
            on,
        )
        .status;
        if status.is_on_schedule() {
            self.on_schedule += 1;
        }
        let since = on.checked_sub_days(days(PARTICIPATION_DAYS)).unwrap_or(on);
        for review in account
            .reviews
            .iter()
            .filter(|r| r.held_on > since && r.held_on <= on)
        {
            self.counting_reviews += 1;
            if review.executive_present {
                self.with_executive += 1;
            }
        }
        for outcome in &current {
            if is_stale(outcome.touched_on(on), rules.stale_after_days, on) {
                self.stale += 1;
            }
            if is_expiring(outcome.expires_on, on) {
                self.expiring += 1;
            }
        }
        let until = on
            .checked_add_days(days(RENEWAL_WARNING_DAYS))
            .unwrap_or(on);
        let renewal = account
            .renewals
            .iter()
            .find(|(due, _)| *due >= on && *due <= until);
        if let Some((_, arr)) = renewal {
            let statuses: Vec<OutcomeStatus> =
                current.iter().filter_map(|o| o.status_on(on)).collect();
            if is_early_warning_status(&statuses) {
                self.early_warning += 1;
                self.early_warning_arr += arr;
            }
        }
        if self.is_onboarding_gap(account, rules, on) {
            self.onboarding_gaps += 1;
        }
    }

    fn is_onboarding_gap(&self, account: &AccountRecord, rules: &Rules, on: NaiveDate) -> bool {
        crate::worklist::model::onboarding_gap(
            account.start_date,
            rules.onboarding_days,
            account
                .outcomes
                .iter()
                .map(|o| (o.valid_from, o.expires_on, o.retired_on)),
            on,
        )
    }

    fn metrics(&self, on: NaiveDate) -> Metrics {
        let share = |part: u64, whole: u64| {
            if whole == 0 {
                0.0
            } else {
                part as f64 / whole as f64
            }
        };
        Metrics {
            as_of: on,
            active_accounts: self.active,
            covered_accounts: self.covered,
            coverage: share(self.covered, self.active),
            on_schedule_accounts: self.on_schedule,
            keystone: share(self.on_schedule, self.active),
            executive_participation: share(self.with_executive, self.counting_reviews),
            stale_outcomes: self.stale,
            expiring_outcomes: self.expiring,
            early_warning_accounts: self.early_warning,
            early_warning_arr: self.early_warning_arr,
            onboarding_gaps: self.onboarding_gaps,
        }
    }
}

impl Dataset {
    /// The metrics of the accounts matching `filter` as of the end of day `on`.
    pub fn metrics_on(&self, rules: &Rules, filter: &MetricsFilter, on: NaiveDate) -> Metrics {
        let mut tally = Tally::default();
        for account in self.accounts.iter().filter(|a| a.matches(filter)) {
            tally.add(account, rules, on);
        }
        tally.metrics(on)
    }

    /// The same metrics on each of `dates`.
    pub fn series(
        &self,
        rules: &Rules,
        filter: &MetricsFilter,
        dates: &[NaiveDate],
    ) -> Vec<Metrics> {
        let accounts: Vec<&AccountRecord> =
            self.accounts.iter().filter(|a| a.matches(filter)).collect();
        dates
            .iter()
            .map(|on| {
                let mut tally = Tally::default();
                for account in &accounts {
                    tally.add(account, rules, *on);
                }
                tally.metrics(*on)
            })
            .collect()
    }

    /// The metrics on `on` per group of `by` (an account in several cohorts counts in each).
    pub fn breakdown(
        &self,
        rules: &Rules,
        filter: &MetricsFilter,
        by: super::model::GroupBy,
        on: NaiveDate,
    ) -> Vec<(String, Metrics)> {
        use super::model::GroupBy;
        let mut groups: std::collections::BTreeMap<String, Tally> = Default::default();
        for account in self.accounts.iter().filter(|a| a.matches(filter)) {
            let keys: Vec<String> = match by {
                GroupBy::Owner => vec![account
                    .owner_id
                    .map_or_else(|| "none".to_string(), |id| id.to_string())],
                GroupBy::Segment => vec![account.segment.clone()],
                GroupBy::Cohort => account.cohorts.clone(),
            };
            for key in keys {
                groups.entry(key).or_default().add(account, rules, on);
            }
        }
        groups
            .into_iter()
            .map(|(key, tally)| (key, tally.metrics(on)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::model::GroupBy;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    fn account(id: i64, start: &str, end: Option<&str>) -> AccountRecord {
        AccountRecord {
            id,
            owner_id: Some(if id % 2 == 0 { 20 } else { 21 }),
            segment: if id <= 2 {
                "Enterprise".into()
            } else {
                "SMB".into()
            },
            cohorts: if id == 1 {
                vec!["pilot".into()]
            } else {
                vec![]
            },
            start_date: day(start),
            end_date: end.map(day),
            cadence_days: 90,
            outcomes: vec![],
            reviews: vec![],
            renewals: vec![],
        }
    }

    fn outcome(from: &str, to: &str, retired: Option<&str>) -> OutcomeRecord {
        OutcomeRecord {
            valid_from: day(from),
            expires_on: day(to),
            retired_on: retired.map(day),
            touched: vec![day(from)],
            statuses: vec![(day(from), OutcomeStatus::OnTrack)],
        }
    }

    fn all() -> MetricsFilter {
        MetricsFilter::default()
    }

    const ON: &str = "2026-12-04";

    #[test]
    fn accounts_starting_on_the_day_count_and_those_ending_on_it_do_not() {
        let data = Dataset {
            accounts: vec![
                account(1, ON, None),
                account(2, "2025-01-01", Some(ON)),
                account(3, "2026-12-05", None),
            ],
        };
        let m = data.metrics_on(&Rules::default(), &all(), day(ON));
        assert_eq!(m.active_accounts, 1);
        assert_eq!(m.on_schedule_accounts, 1, "its first review is not due yet");
        assert_eq!(m.keystone, 1.0);
        assert_eq!(m.coverage, 0.0);
        let empty = Dataset::default().metrics_on(&Rules::default(), &all(), day(ON));
        assert_eq!(
            (empty.coverage, empty.keystone),
            (0.0, 0.0),
            "no accounts: 0, not NaN"
        );
    }

    #[test]
    fn coverage_counts_outcomes_current_on_the_day_including_its_last_day() {
        let mut a = account(1, "2025-01-01", None);
        a.outcomes = vec![outcome("2026-01-01", ON, None)];
        let mut b = account(2, "2025-01-01", None);
        b.outcomes = vec![outcome("2026-01-01", "2027-01-01", Some(ON))];
        let mut c = account(3, "2025-01-01", None);
        c.outcomes = vec![outcome("2026-12-05", "2027-12-05", None)];
        let data = Dataset {
            accounts: vec![a, b, c],
        };
        let m = data.metrics_on(&Rules::default(), &all(), day(ON));
        assert_eq!((m.active_accounts, m.covered_accounts), (3, 1));
        assert!((m.coverage - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(m.expiring_outcomes, 1, "expiring on the day itself");
        let next = data.metrics_on(&Rules::default(), &all(), day("2026-12-05"));
        assert_eq!(
            next.covered_accounts, 1,
            "the third became current, the first expired"
        );
    }

    #[test]
    fn keystone_follows_counting_reviews_at_the_window_edge() {
        let mut a = account(1, "2024-01-01", None);
        // Held 2026-08-22: the window (90 + 14 days) closes 2026-12-04.
        a.reviews = vec![ReviewRecord {
            held_on: day("2026-08-22"),
            executive_present: false,
        }];
        let data = Dataset { accounts: vec![a] };
        let rules = Rules::default();
        assert_eq!(
            data.metrics_on(&rules, &all(), day("2026-12-03")).keystone,
            1.0
        );
        assert_eq!(data.metrics_on(&rules, &all(), day(ON)).keystone, 0.0);
        assert_eq!(
            data.metrics_on(&rules, &all(), day("2026-08-21")).keystone,
            0.0
        );
    }

    #[test]
    fn executive_participation_is_over_the_last_90_days() {
        let mut a = account(1, "2024-01-01", None);
        let review = |held: &str, executive_present| ReviewRecord {
            held_on: day(held),
            executive_present,
        };
        a.reviews = vec![
            review("2026-09-05", true), // 90 days before: outside
            review("2026-09-06", true),
            review("2026-11-01", false),
        ];
        let data = Dataset { accounts: vec![a] };
        let m = data.metrics_on(&Rules::default(), &all(), day(ON));
        assert_eq!(m.executive_participation, 0.5);
    }

    #[test]
    fn stale_outcomes_use_the_latest_touch_before_the_day() {
        let mut a = account(1, "2024-01-01", None);
        let mut o = outcome("2026-01-01", "2027-12-01", None);
        o.touched = vec![day("2026-01-01"), day("2026-08-06"), day("2026-12-10")];
        a.outcomes = vec![o];
        let data = Dataset { accounts: vec![a] };
        let rules = Rules::default();
        assert_eq!(
            data.metrics_on(&rules, &all(), day(ON)).stale_outcomes,
            1,
            "120 days"
        );
        assert_eq!(
            data.metrics_on(&rules, &all(), day("2026-12-03"))
                .stale_outcomes,
            0
        );
        assert_eq!(
            data.metrics_on(&rules, &all(), day("2026-12-10"))
                .stale_outcomes,
            0
        );
    }

    #[test]
    fn early_warning_uses_the_status_as_of_the_day_and_the_renewal_arr() {
        let mut a = account(1, "2024-01-01", None);
        let mut o = outcome("2026-01-01", "2027-12-01", None);
        o.statuses = vec![
            (day("2026-01-01"), OutcomeStatus::OnTrack),
            (day("2026-11-01"), OutcomeStatus::AtRisk),
        ];
        a.outcomes = vec![o];
        a.renewals = vec![(day("2027-03-01"), 50_000)];
        let mut b = account(2, "2024-01-01", None); // no current outcome
        b.renewals = vec![(day("2027-06-02"), 7_000)];
        let data = Dataset {
            accounts: vec![a, b],
        };
        let m = data.metrics_on(&Rules::default(), &all(), day(ON));
        assert_eq!((m.early_warning_accounts, m.early_warning_arr), (2, 57_000));
        let before = data.metrics_on(&Rules::default(), &all(), day("2026-10-31"));
        assert_eq!(
            before.early_warning_accounts, 0,
            "on track then; b's renewal too far"
        );
    }

    #[test]
    fn filters_and_breakdowns_split_the_same_figures() {
        let mut data = Dataset {
            accounts: (1..=4).map(|id| account(id, "2025-01-01", None)).collect(),
        };
        data.accounts[0].outcomes = vec![outcome("2026-01-01", "2027-01-01", None)];
        let rules = Rules::default();
        let on = day(ON);
        let pilot = MetricsFilter {
            cohort: Some("pilot".into()),
            ..MetricsFilter::default()
        };
        assert_eq!(data.metrics_on(&rules, &pilot, on).coverage, 1.0);
        let smb = MetricsFilter {
            segment: Some("SMB".into()),
            ..MetricsFilter::default()
        };
        assert_eq!(data.metrics_on(&rules, &smb, on).active_accounts, 2);
        let by_segment = data.breakdown(&rules, &all(), GroupBy::Segment, on);
        let keys: Vec<&str> = by_segment.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["Enterprise", "SMB"]);
        assert_eq!(by_segment[0].1.covered_accounts, 1);
        let empty_segment = MetricsFilter {
            segment: Some("Nobody".into()),
            ..MetricsFilter::default()
        };
        assert_eq!(data.metrics_on(&rules, &empty_segment, on).coverage, 0.0);
        let series = data.series(&rules, &all(), &[day("2025-12-31"), on]);
        assert_eq!(series[0].covered_accounts, 0);
        assert_eq!(series[1].covered_accounts, 1);
    }
}
