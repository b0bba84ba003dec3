//! The metrics engine: DESIGN.md's metrics as of any date, over the dated records themselves
//! (account dates, outcome validity and revisions, review dates, renewals). No snapshots: a
//! corrected past record changes past figures.
//!
//! Pure: the server loads a [`Dataset`] and asks it; unit tests build small ones by hand.

use super::model::{Figure, GroupBy, GroupFigures, LeadingLagging, Metrics, MetricsFilter};
use crate::accounts::model::RenewalResult;
use crate::outcomes::model::{is_current, OutcomeStatus};
use crate::reviews::status::standing;
use crate::settings::Rules;
use crate::worklist::model::{is_early_warning_status, is_expiring, is_stale, EXPIRING_DAYS};
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

/// A renewal: when it was due, the ARR due, and how it ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenewalRecord {
    /// Due on.
    pub due_on: NaiveDate,
    /// ARR before the renewal (what was due).
    pub arr: i64,
    /// Renewed, churned or pending.
    pub result: RenewalResult,
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
    /// Its renewals, by due date ascending.
    pub renewals: Vec<RenewalRecord>,
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

impl Dataset {
    /// Puts `fresh` (the accounts of `ids` as now stored) in place of those accounts, keeping the
    /// accounts sorted by id; an id without a fresh record is dropped. `ids` is sorted.
    pub fn replace(&mut self, ids: &[i64], fresh: Vec<AccountRecord>) {
        self.accounts.retain(|a| ids.binary_search(&a.id).is_err());
        for account in fresh {
            let at = self.accounts.partition_point(|a| a.id < account.id);
            self.accounts.insert(at, account);
        }
    }
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

/// What the accounts add up to on a day.
#[derive(Clone, Default)]
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
    statuses: [u64; 4],
}

/// The ARR at stake when `account` is in early warning on `on` (see
/// [`is_early_warning_status`]): its first renewal due within 180 days.
fn early_warning_arr(account: &AccountRecord, on: NaiveDate) -> Option<i64> {
    let until = on
        .checked_add_days(days(RENEWAL_WARNING_DAYS))
        .unwrap_or(NaiveDate::MAX);
    let renewal = account
        .renewals
        .iter()
        .find(|r| r.due_on >= on && r.due_on <= until)?;
    let statuses = account
        .outcomes
        .iter()
        .filter(|o| o.is_current_on(on))
        .filter_map(|o| o.status_on(on));
    is_early_warning_status(statuses).then_some(renewal.arr)
}

/// Whether `account` is in an onboarding gap on `on`.
fn is_onboarding_gap(account: &AccountRecord, rules: &Rules, on: NaiveDate) -> bool {
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

/// The position of `status` in [`OutcomeStatus::ALL`] (the order of the per-status counts).
fn status_index(status: OutcomeStatus) -> usize {
    OutcomeStatus::ALL
        .iter()
        .position(|s| *s == status)
        .unwrap_or_default()
}

/// What one active account contributes to the metrics on a day: every rule applied to it once,
/// for the totals and for the drill-down lists alike.
#[derive(Clone, Debug, Default)]
struct Facts {
    covered: bool,
    on_schedule: bool,
    counting_reviews: u64,
    with_executive: u64,
    stale: u64,
    expiring: u64,
    early_warning_arr: Option<i64>,
    onboarding_gap: bool,
    statuses: [u64; 4],
}

impl Facts {
    /// The facts of `account` on `on`; none when it is not active that day.
    fn of(account: &AccountRecord, rules: &Rules, on: NaiveDate) -> Option<Self> {
        if !account.is_active_on(on) {
            return None;
        }
        let mut facts = Self::default();
        for outcome in account.outcomes.iter().filter(|o| o.is_current_on(on)) {
            facts.covered = true;
            if is_stale(outcome.touched_on(on), rules.stale_after_days, on) {
                facts.stale += 1;
            }
            if is_expiring(outcome.expires_on, on) {
                facts.expiring += 1;
            }
            if let Some(status) = outcome.status_on(on) {
                facts.statuses[status_index(status)] += 1;
            }
        }
        let last = latest_on_or_before(&account.reviews, on, |r| r.held_on);
        facts.on_schedule = standing(
            account.start_date,
            account.cadence_days,
            rules.grace_days,
            last.map(|r| r.held_on),
            on,
        )
        .status
        .is_on_schedule();
        let since = on
            .checked_sub_days(days(PARTICIPATION_DAYS))
            .unwrap_or(NaiveDate::MIN);
        let from = account.reviews.partition_point(|r| r.held_on <= since);
        let to = account.reviews.partition_point(|r| r.held_on <= on);
        for review in &account.reviews[from..to.max(from)] {
            facts.counting_reviews += 1;
            if review.executive_present {
                facts.with_executive += 1;
            }
        }
        facts.early_warning_arr = early_warning_arr(account, on);
        facts.onboarding_gap = is_onboarding_gap(account, rules, on);
        Some(facts)
    }

    /// Whether the account is among those behind `figure`.
    fn shows(&self, figure: Figure) -> bool {
        match figure {
            Figure::Active => true,
            Figure::Covered => self.covered,
            Figure::NotCovered => !self.covered,
            Figure::OnSchedule => self.on_schedule,
            Figure::NotOnSchedule => !self.on_schedule,
            Figure::EarlyWarning => self.early_warning_arr.is_some(),
            Figure::Stale => self.stale > 0,
            Figure::Expiring => self.expiring > 0,
            Figure::OnboardingGap => self.onboarding_gap,
            Figure::WithoutExecutive => self.counting_reviews > self.with_executive,
            Figure::Status(status) => self.statuses[status_index(status)] > 0,
        }
    }
}

impl Tally {
    /// Adds what `account` contributes on `on`.
    fn add(&mut self, account: &AccountRecord, rules: &Rules, on: NaiveDate) {
        let Some(facts) = Facts::of(account, rules, on) else {
            return;
        };
        self.active += 1;
        self.covered += u64::from(facts.covered);
        self.on_schedule += u64::from(facts.on_schedule);
        self.counting_reviews += facts.counting_reviews;
        self.with_executive += facts.with_executive;
        self.stale += facts.stale;
        self.expiring += facts.expiring;
        if let Some(arr) = facts.early_warning_arr {
            self.early_warning += 1;
            self.early_warning_arr += arr;
        }
        self.onboarding_gaps += u64::from(facts.onboarding_gap);
        for (total, n) in self.statuses.iter_mut().zip(facts.statuses) {
            *total += n;
        }
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
            on_track_outcomes: self.statuses[0],
            at_risk_outcomes: self.statuses[1],
            off_track_outcomes: self.statuses[2],
            achieved_outcomes: self.statuses[3],
        }
    }
}

/// The day `n` days after `day` (the end of time if past it).
fn plus(day: NaiveDate, n: i64) -> NaiveDate {
    if n < 0 {
        day.checked_sub_days(days(-n)).unwrap_or(NaiveDate::MIN)
    } else {
        day.checked_add_days(days(n)).unwrap_or(NaiveDate::MAX)
    }
}

/// Counts over the dates of a series, added per range of days: `add(from, to, n)` adds `n` to
/// every date in `[from, to)`. Summed once at the end, so an account costs a few binary searches
/// per record instead of a rule evaluation per date.
struct Ranges<'a> {
    dates: &'a [NaiveDate],
    delta: Vec<i64>,
}

impl<'a> Ranges<'a> {
    fn new(dates: &'a [NaiveDate]) -> Self {
        Self {
            dates,
            delta: vec![0; dates.len() + 1],
        }
    }

    fn add(&mut self, from: NaiveDate, to: NaiveDate, n: i64) {
        if from >= to {
            return;
        }
        let lo = self.dates.partition_point(|d| *d < from);
        let hi = self.dates.partition_point(|d| *d < to);
        if lo < hi {
            self.delta[lo] += n;
            self.delta[hi] -= n;
        }
    }

    fn totals(&self) -> Vec<i64> {
        let mut sum = 0;
        self.delta[..self.dates.len()]
            .iter()
            .map(|d| {
                sum += d;
                sum
            })
            .collect()
    }
}

/// The days `[from, to)` an outcome is current.
fn current_days(o: &OutcomeRecord) -> (NaiveDate, NaiveDate) {
    let end = plus(o.expires_on, 1);
    (o.valid_from, o.retired_on.map_or(end, |r| r.min(end)))
}

/// The intersection of two day ranges.
fn within(a: (NaiveDate, NaiveDate), b: (NaiveDate, NaiveDate)) -> (NaiveDate, NaiveDate) {
    (a.0.max(b.0), a.1.min(b.1))
}

/// Adds the union of `ranges` (clipped to `bounds`) once to `counts`.
fn add_union(
    counts: &mut Ranges,
    ranges: &mut [(NaiveDate, NaiveDate)],
    bounds: (NaiveDate, NaiveDate),
) {
    ranges.sort_unstable();
    let mut open: Option<(NaiveDate, NaiveDate)> = None;
    for &mut range in ranges {
        let range = within(range, bounds);
        if range.0 >= range.1 {
            continue;
        }
        open = match open {
            Some(run) if range.0 <= run.1 => Some((run.0, run.1.max(range.1))),
            Some(run) => {
                counts.add(run.0, run.1, 1);
                Some(range)
            }
            None => Some(range),
        };
    }
    if let Some(run) = open {
        counts.add(run.0, run.1, 1);
    }
}

/// Per-date counts of a series, as ranges of days.
struct SeriesCounts<'a> {
    active: Ranges<'a>,
    covered: Ranges<'a>,
    on_schedule: Ranges<'a>,
    reviews: Ranges<'a>,
    with_executive: Ranges<'a>,
    stale: Ranges<'a>,
    expiring: Ranges<'a>,
    warned: Ranges<'a>,
    warned_arr: Ranges<'a>,
    gaps: Ranges<'a>,
    statuses: [Ranges<'a>; 4],
}

impl<'a> SeriesCounts<'a> {
    fn new(dates: &'a [NaiveDate]) -> Self {
        Self {
            active: Ranges::new(dates),
            covered: Ranges::new(dates),
            on_schedule: Ranges::new(dates),
            reviews: Ranges::new(dates),
            with_executive: Ranges::new(dates),
            stale: Ranges::new(dates),
            expiring: Ranges::new(dates),
            warned: Ranges::new(dates),
            warned_arr: Ranges::new(dates),
            gaps: Ranges::new(dates),
            statuses: std::array::from_fn(|_| Ranges::new(dates)),
        }
    }

    fn merge(&mut self, other: &Self) {
        let mut pairs = vec![
            (&mut self.active, &other.active),
            (&mut self.covered, &other.covered),
            (&mut self.on_schedule, &other.on_schedule),
            (&mut self.reviews, &other.reviews),
            (&mut self.with_executive, &other.with_executive),
            (&mut self.stale, &other.stale),
            (&mut self.expiring, &other.expiring),
            (&mut self.warned, &other.warned),
            (&mut self.warned_arr, &other.warned_arr),
            (&mut self.gaps, &other.gaps),
        ];
        pairs.extend(self.statuses.iter_mut().zip(&other.statuses));
        for (mine, theirs) in pairs {
            for (a, b) in mine.delta.iter_mut().zip(&theirs.delta) {
                *a += b;
            }
        }
    }

    /// The counts of `accounts` on `dates`.
    fn of(accounts: &[&AccountRecord], rules: &Rules, dates: &'a [NaiveDate]) -> Self {
        let mut c = Self::new(dates);
        let mut ranges: Vec<(NaiveDate, NaiveDate)> = Vec::new();
        let mut checked: Vec<usize> = Vec::new();
        for account in accounts {
            let life = (
                account.start_date,
                account.end_date.unwrap_or(NaiveDate::MAX),
            );
            c.active.add(life.0, life.1, 1);
            ranges.clear();
            ranges.extend(account.outcomes.iter().map(current_days));
            add_union(&mut c.covered, &mut ranges, life);
            // On schedule from each anchor (the start, each counting review) for cadence + grace.
            let span = account.cadence_days.max(0) + rules.grace_days.max(0);
            ranges.clear();
            ranges.extend(
                std::iter::once(account.start_date)
                    .chain(account.reviews.iter().map(|r| r.held_on))
                    .map(|anchor| (anchor, plus(anchor, span))),
            );
            add_union(&mut c.on_schedule, &mut ranges, life);
            for review in &account.reviews {
                let counted = within(
                    (review.held_on, plus(review.held_on, PARTICIPATION_DAYS)),
                    life,
                );
                c.reviews.add(counted.0, counted.1, 1);
                if review.executive_present {
                    c.with_executive.add(counted.0, counted.1, 1);
                }
            }
            for outcome in &account.outcomes {
                let current = within(current_days(outcome), life);
                let soon = within(
                    current,
                    (plus(outcome.expires_on, -EXPIRING_DAYS), NaiveDate::MAX),
                );
                c.expiring.add(soon.0, soon.1, 1);
                // Each status from the day it was set (the first one also before) to the next.
                for (i, (set_on, status)) in outcome.statuses.iter().enumerate() {
                    let from = if i == 0 { NaiveDate::MIN } else { *set_on };
                    let to = outcome
                        .statuses
                        .get(i + 1)
                        .map_or(NaiveDate::MAX, |(next, _)| *next);
                    let held = within(current, (from, to));
                    c.statuses[status_index(*status)].add(held.0, held.1, 1);
                }
                // Between touches, stale from `stale_after` days after the last one.
                let mut base = outcome.valid_from;
                let mut from = NaiveDate::MIN;
                for touch in outcome
                    .touched
                    .iter()
                    .copied()
                    .chain(std::iter::once(NaiveDate::MAX))
                {
                    let untouched = within(
                        current,
                        (from.max(plus(base, rules.stale_after_days)), touch),
                    );
                    c.stale.add(untouched.0, untouched.1, 1);
                    (base, from) = (touch, touch);
                }
            }
            // Early warnings and onboarding gaps hold on few dates: those are checked one by one.
            checked.clear();
            for renewal in &account.renewals {
                let due = renewal.due_on;
                let lo = dates.partition_point(|d| *d < plus(due, -RENEWAL_WARNING_DAYS));
                let hi = dates.partition_point(|d| *d <= due);
                checked.extend(lo..hi);
            }
            checked.sort_unstable();
            checked.dedup();
            for &i in &checked {
                let on = dates[i];
                if account.is_active_on(on) {
                    if let Some(arr) = early_warning_arr(account, on) {
                        c.warned.add(on, plus(on, 1), 1);
                        c.warned_arr.add(on, plus(on, 1), arr);
                    }
                }
            }
            let lo = dates.partition_point(|d| *d < account.start_date);
            let hi =
                dates.partition_point(|d| *d < plus(account.start_date, ONBOARDING_WINDOW_DAYS));
            for on in &dates[lo..hi] {
                if account.is_active_on(*on) && is_onboarding_gap(account, rules, *on) {
                    c.gaps.add(*on, plus(*on, 1), 1);
                }
            }
        }
        c
    }

    fn metrics(&self, dates: &[NaiveDate]) -> Vec<Metrics> {
        let count = |r: &Ranges| -> Vec<u64> {
            r.totals()
                .into_iter()
                .map(|n| u64::try_from(n).unwrap_or(0))
                .collect()
        };
        let (active, covered, on_schedule) = (
            count(&self.active),
            count(&self.covered),
            count(&self.on_schedule),
        );
        let (reviews, with_executive) = (count(&self.reviews), count(&self.with_executive));
        let (stale, expiring) = (count(&self.stale), count(&self.expiring));
        let (warned, gaps) = (count(&self.warned), count(&self.gaps));
        let warned_arr = self.warned_arr.totals();
        let statuses: Vec<Vec<u64>> = self.statuses.iter().map(count).collect();
        dates
            .iter()
            .enumerate()
            .map(|(i, on)| {
                Tally {
                    active: active[i],
                    covered: covered[i],
                    on_schedule: on_schedule[i],
                    counting_reviews: reviews[i],
                    with_executive: with_executive[i],
                    stale: stale[i],
                    expiring: expiring[i],
                    early_warning: warned[i],
                    early_warning_arr: warned_arr[i],
                    onboarding_gaps: gaps[i],
                    statuses: std::array::from_fn(|s| statuses[s][i]),
                }
                .metrics(*on)
            })
            .collect()
    }
}

/// `work` over `items` split across the machine's cores, one result per part (in order).
fn in_parallel<'a, T: Sync, R: Send>(items: &'a [T], work: impl Fn(&'a [T]) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let chunk = items.len().div_ceil(threads).max(1);
    let work = &work;
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || work(part)))
            .collect();
        workers
            .into_iter()
            .filter_map(|worker| worker.join().ok())
            .collect()
    })
}

/// The groups `account` belongs to under `by` (an account in several cohorts is in each).
fn group_keys(account: &AccountRecord, by: GroupBy) -> Vec<String> {
    match by {
        GroupBy::Owner => vec![account
            .owner_id
            .map_or_else(|| "none".to_string(), |id| id.to_string())],
        GroupBy::Segment => vec![account.segment.clone()],
        GroupBy::Cohort => account.cohorts.clone(),
    }
}

/// Months the leading-vs-lagging comparison looks back over.
pub const LAGGING_MONTHS: u32 = 12;

impl Dataset {
    fn matching<'a>(
        &'a self,
        filter: &'a MetricsFilter,
    ) -> impl Iterator<Item = &'a AccountRecord> {
        self.accounts.iter().filter(|a| a.matches(filter))
    }

    /// The metrics of the accounts matching `filter` as of the end of day `on`.
    pub fn metrics_on(&self, rules: &Rules, filter: &MetricsFilter, on: NaiveDate) -> Metrics {
        let mut tally = Tally::default();
        for account in self.matching(filter) {
            tally.add(account, rules, on);
        }
        tally.metrics(on)
    }

    /// The same metrics on each of `dates` (ascending), as [`Dataset::metrics_on`] would give
    /// them, computed in one pass: each rule becomes the ranges of days it holds on. The accounts
    /// are split over the machine's cores.
    pub fn series(
        &self,
        rules: &Rules,
        filter: &MetricsFilter,
        dates: &[NaiveDate],
    ) -> Vec<Metrics> {
        let accounts: Vec<&AccountRecord> = self.matching(filter).collect();
        let mut parts = in_parallel(&accounts, |part| SeriesCounts::of(part, rules, dates));
        let mut total = parts.pop().unwrap_or_else(|| SeriesCounts::new(dates));
        for part in &parts {
            total.merge(part);
        }
        total.metrics(dates)
    }

    /// The accounts matching `filter`, grouped by `by`, in key order.
    fn groups<'a>(
        &'a self,
        filter: &'a MetricsFilter,
        by: GroupBy,
    ) -> std::collections::BTreeMap<String, Vec<&'a AccountRecord>> {
        let mut groups: std::collections::BTreeMap<String, Vec<&AccountRecord>> =
            Default::default();
        for account in self.matching(filter) {
            for key in group_keys(account, by) {
                groups.entry(key).or_default().push(account);
            }
        }
        groups
    }

    /// The ids of the accounts matching `filter` that are behind `figure` on `on` (ascending).
    pub fn accounts_behind(
        &self,
        rules: &Rules,
        filter: &MetricsFilter,
        figure: Figure,
        on: NaiveDate,
    ) -> Vec<i64> {
        self.matching(filter)
            .filter(|a| Facts::of(a, rules, on).is_some_and(|f| f.shows(figure)))
            .map(|a| a.id)
            .collect()
    }

    /// Per group of `by` (an account in several cohorts counts in each), in key order: its
    /// accounts and their counts on each of `dates`, the groups split over the cores.
    fn group_counts<'a, 'd>(
        &'a self,
        rules: &Rules,
        filter: &'a MetricsFilter,
        by: GroupBy,
        dates: &'d [NaiveDate],
    ) -> Vec<(String, Vec<&'a AccountRecord>, SeriesCounts<'d>)> {
        let groups: Vec<(String, Vec<&AccountRecord>)> =
            self.groups(filter, by).into_iter().collect();
        let counts: Vec<SeriesCounts<'d>> = in_parallel(&groups, |part| {
            part.iter()
                .map(|(_, accounts)| SeriesCounts::of(accounts, rules, dates))
                .collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect();
        groups
            .into_iter()
            .zip(counts)
            .map(|((key, accounts), counts)| (key, accounts, counts))
            .collect()
    }

    /// Per group of `by` (an account in several cohorts counts in each), in key order: the
    /// metrics on `on`, and the leading indicator (keystone over the 12 months ending on `on`)
    /// against the lagging one (see [`leading_lagging`]). Named by their keys.
    pub fn breakdown(
        &self,
        rules: &Rules,
        filter: &MetricsFilter,
        by: GroupBy,
        on: NaiveDate,
    ) -> Vec<GroupFigures> {
        let dates = lagging_dates(on);
        self.group_counts(rules, filter, by, &dates)
            .into_iter()
            .map(|(key, accounts, counts)| {
                let monthly = counts.metrics(&dates);
                group_figures(key, &accounts, &monthly, on)
            })
            .collect()
    }

    /// What the dashboard shows, in one pass over the accounts: the metrics on each of
    /// `trend` (ascending), on `baseline` and on `on`, and the breakdown by owner on `on`.
    pub fn overview(
        &self,
        rules: &Rules,
        filter: &MetricsFilter,
        trend: &[NaiveDate],
        baseline: NaiveDate,
        on: NaiveDate,
    ) -> Overview {
        let monthly = lagging_dates(on);
        let mut dates: Vec<NaiveDate> = trend
            .iter()
            .chain(&monthly)
            .copied()
            .chain([baseline, on])
            .collect();
        dates.sort_unstable();
        dates.dedup();
        let at = |day: &NaiveDate| dates.binary_search(day).unwrap_or_default();
        // Owners split the accounts, so the groups' counts add up to everyone's.
        let groups = self.group_counts(rules, filter, GroupBy::Owner, &dates);
        let mut total = SeriesCounts::new(&dates);
        for (_, _, counts) in &groups {
            total.merge(counts);
        }
        let all = total.metrics(&dates);
        Overview {
            trend: trend.iter().map(|day| all[at(day)].clone()).collect(),
            baseline: all[at(&baseline)].clone(),
            now: all[at(&on)].clone(),
            csms: groups
                .into_iter()
                .map(|(key, accounts, counts)| {
                    let figures = counts.metrics(&dates);
                    let months: Vec<Metrics> =
                        monthly.iter().map(|day| figures[at(day)].clone()).collect();
                    group_figures(key, &accounts, &months, on)
                })
                .collect(),
        }
    }
}

/// The dashboard's figures, computed together (see [`Dataset::overview`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Overview {
    /// The metrics on each day of the trend.
    pub trend: Vec<Metrics>,
    /// The metrics on the day changes are measured from.
    pub baseline: Metrics,
    /// The metrics on the day.
    pub now: Metrics,
    /// Per owner: the metrics on the day, and leading vs lagging.
    pub csms: Vec<GroupFigures>,
}

/// The monthly as-of days of the 12 months ending on `on` itself.
fn lagging_dates(on: NaiveDate) -> Vec<NaiveDate> {
    let start = on
        .checked_sub_months(chrono::Months::new(LAGGING_MONTHS - 1))
        .unwrap_or(NaiveDate::MIN);
    super::model::series_dates(start, on, super::model::Step::Month)
}

/// A group's figures from its accounts and its metrics on each of [`lagging_dates`]`(on)`: the
/// metrics on `on` (the last), keystone over those months, and the renewals due in the 12 months
/// ending on `on` that were decided (renewed or churned).
fn group_figures(
    key: String,
    accounts: &[&AccountRecord],
    monthly: &[Metrics],
    on: NaiveDate,
) -> GroupFigures {
    let year_ago = on
        .checked_sub_months(chrono::Months::new(LAGGING_MONTHS))
        .unwrap_or(NaiveDate::MIN);
    let mut figures = LeadingLagging {
        account_months: monthly.iter().map(|m| m.active_accounts).sum(),
        on_schedule_months: monthly.iter().map(|m| m.on_schedule_accounts).sum(),
        renewed_arr: 0,
        due_arr: 0,
    };
    let decided = accounts
        .iter()
        .flat_map(|a| &a.renewals)
        .filter(|r| r.due_on > year_ago && r.due_on <= on && r.result != RenewalResult::Pending);
    for renewal in decided {
        figures.due_arr += renewal.arr;
        if renewal.result == RenewalResult::Renewed {
            figures.renewed_arr += renewal.arr;
        }
    }
    GroupFigures {
        name: key.clone(),
        key,
        metrics: monthly
            .last()
            .cloned()
            .unwrap_or_else(|| Tally::default().metrics(on)),
        leading_lagging: figures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn renewal(due: &str, arr: i64, result: RenewalResult) -> RenewalRecord {
        RenewalRecord {
            due_on: day(due),
            arr,
            result,
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
        a.renewals = vec![renewal("2027-03-01", 50_000, RenewalResult::Pending)];
        let mut b = account(2, "2024-01-01", None); // no current outcome
        b.renewals = vec![renewal("2027-06-02", 7_000, RenewalResult::Pending)];
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
    fn onboarding_gaps_are_new_accounts_without_an_outcome_in_time() {
        // Started 40 days before: no outcome within 30 days of its start is a gap, even with one now.
        let mut late = account(1, "2026-10-25", None);
        late.outcomes = vec![outcome("2026-11-30", "2027-11-30", None)];
        let mut prompt = account(2, "2026-10-25", None);
        prompt.outcomes = vec![outcome("2026-11-20", "2027-11-20", None)];
        // Still within its first 30 days: not a gap yet.
        let fresh = account(3, "2026-11-20", None);
        // Started more than 90 days before: no longer onboarding.
        let old = account(4, "2026-08-01", None);
        let data = Dataset {
            accounts: vec![late, prompt, fresh, old],
        };
        let rules = Rules::default();
        let m = data.metrics_on(&rules, &all(), day(ON));
        assert_eq!(m.onboarding_gaps, 1);
        assert_eq!(
            data.accounts_behind(&rules, &all(), Figure::OnboardingGap, day(ON)),
            [1]
        );
    }

    #[test]
    fn outcome_statuses_count_current_outcomes_as_assessed_that_day() {
        let mut a = account(1, "2024-01-01", None);
        let mut o = outcome("2026-01-01", "2027-12-01", None);
        o.statuses = vec![
            (day("2026-03-01"), OutcomeStatus::AtRisk),
            (day("2026-11-01"), OutcomeStatus::Achieved),
        ];
        a.outcomes = vec![o, outcome("2026-01-01", "2026-06-30", None)];
        let data = Dataset { accounts: vec![a] };
        let rules = Rules::default();
        let statuses = |on: &str| {
            let m = data.metrics_on(&rules, &all(), day(on));
            (
                m.on_track_outcomes,
                m.at_risk_outcomes,
                m.off_track_outcomes,
                m.achieved_outcomes,
            )
        };
        // Before its first assessment an outcome reads as first assessed.
        assert_eq!(statuses("2026-02-01"), (1, 1, 0, 0));
        assert_eq!(statuses("2026-06-30"), (1, 1, 0, 0));
        assert_eq!(statuses("2026-07-01"), (0, 1, 0, 0), "the second expired");
        assert_eq!(statuses(ON), (0, 0, 0, 1));
    }

    #[test]
    fn drill_down_lists_the_accounts_behind_each_figure() {
        let mut covered = account(1, "2024-01-01", None);
        covered.outcomes = vec![outcome("2026-01-01", "2026-12-20", None)];
        covered.reviews = vec![ReviewRecord {
            held_on: day("2026-11-01"),
            executive_present: true,
        }];
        let mut bare = account(2, "2024-01-01", None);
        bare.renewals = vec![renewal("2027-01-15", 9_000, RenewalResult::Pending)];
        let gone = account(3, "2024-01-01", Some("2026-06-01"));
        let data = Dataset {
            accounts: vec![covered, bare, gone],
        };
        let rules = Rules::default();
        let on = day(ON);
        let behind = |figure| data.accounts_behind(&rules, &all(), figure, on);
        assert_eq!(
            behind(Figure::Active),
            [1, 2],
            "the ended account is not active"
        );
        assert_eq!(behind(Figure::Covered), [1]);
        assert_eq!(behind(Figure::NotCovered), [2]);
        assert_eq!(behind(Figure::OnSchedule), [1]);
        assert_eq!(behind(Figure::NotOnSchedule), [2]);
        assert_eq!(behind(Figure::EarlyWarning), [2]);
        assert_eq!(behind(Figure::Expiring), [1]);
        assert_eq!(behind(Figure::Stale), [1], "untouched since 2026-01-01");
        assert_eq!(behind(Figure::Status(OutcomeStatus::OnTrack)), [1]);
        assert!(behind(Figure::Status(OutcomeStatus::AtRisk)).is_empty());
        assert!(behind(Figure::OnboardingGap).is_empty());
        assert!(
            behind(Figure::WithoutExecutive).is_empty(),
            "the executive attended"
        );
        // Each list has as many accounts as its figure counts.
        let m = data.metrics_on(&rules, &all(), on);
        assert_eq!(behind(Figure::Covered).len() as u64, m.covered_accounts);
        assert_eq!(
            behind(Figure::OnSchedule).len() as u64,
            m.on_schedule_accounts
        );
        assert_eq!(
            behind(Figure::EarlyWarning).len() as u64,
            m.early_warning_accounts
        );
        for figure in Figure::all() {
            assert_eq!(Figure::parse(figure.key()), Some(figure));
        }
    }

    #[test]
    fn leading_vs_lagging_compares_a_year_of_keystone_with_decided_renewals() {
        // Owner 21 (odd ids): reviewed every month; owner 20: never reviewed since 2024.
        let mut reviewed = account(1, "2024-01-01", None);
        reviewed.reviews = (0..24)
            .map(|m| ReviewRecord {
                held_on: day("2025-01-01") + chrono::Months::new(m),
                executive_present: false,
            })
            .collect();
        reviewed.renewals = vec![
            renewal("2026-03-01", 10_000, RenewalResult::Churned),
            renewal("2025-12-04", 99_000, RenewalResult::Renewed), // a year and a day: outside
        ];
        let mut neglected = account(2, "2024-01-01", None);
        neglected.renewals = vec![
            renewal("2026-06-01", 30_000, RenewalResult::Renewed),
            renewal("2026-12-05", 5_000, RenewalResult::Renewed), // after the day
            renewal("2026-11-01", 8_000, RenewalResult::Pending), // undecided
            renewal("2026-12-04", 10_000, RenewalResult::Churned),
        ];
        let data = Dataset {
            accounts: vec![reviewed, neglected],
        };
        let figures = data.breakdown(&Rules::default(), &all(), GroupBy::Owner, day(ON));
        let keys: Vec<&str> = figures.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, ["20", "21"]);
        let (neglected, reviewed) = (figures[0].leading_lagging, figures[1].leading_lagging);
        assert_eq!(
            (reviewed.account_months, reviewed.on_schedule_months),
            (12, 12)
        );
        assert_eq!(reviewed.keystone(), Some(1.0));
        assert_eq!(
            reviewed.renewal_rate(),
            Some(0.0),
            "good reviews, poor renewals"
        );
        assert_eq!(neglected.keystone(), Some(0.0));
        assert_eq!(
            neglected.renewal_rate(),
            Some(0.75),
            "30k renewed of 40k decided"
        );
        let together = reviewed.plus(neglected);
        assert_eq!(together.keystone(), Some(0.5));
        assert_eq!(LeadingLagging::default().renewal_rate(), None);
    }

    /// A pseudo-random dataset: accounts with outcomes (some retired, re-touched, re-assessed),
    /// counting reviews and renewals scattered over 2024-2027.
    fn random_dataset(accounts: i64, seed: u64) -> Dataset {
        let mut state = seed;
        let mut next = move |n: i64| -> i64 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as i64).rem_euclid(n.max(1))
        };
        let base = day("2024-01-01");
        let statuses = OutcomeStatus::ALL;
        let accounts = (1..=accounts)
            .map(|id| {
                let start = plus(base, next(1000));
                let mut a = account(id, "2024-01-01", None);
                a.start_date = start;
                a.end_date = (next(5) == 0).then(|| plus(start, 1 + next(800)));
                a.cadence_days = [90, 120, 180][next(3) as usize];
                a.outcomes = (0..next(4))
                    .map(|_| {
                        let from = plus(start, next(400) - 60);
                        let mut touched: Vec<NaiveDate> =
                            (0..next(4)).map(|_| plus(from, next(500))).collect();
                        touched.sort_unstable();
                        let mut set: Vec<(NaiveDate, OutcomeStatus)> = (0..1 + next(3))
                            .map(|_| (plus(from, next(500)), statuses[next(4) as usize]))
                            .collect();
                        set.sort_by_key(|(d, _)| *d);
                        OutcomeRecord {
                            valid_from: from,
                            expires_on: plus(from, next(700)),
                            retired_on: (next(4) == 0).then(|| plus(from, next(500))),
                            touched,
                            statuses: set,
                        }
                    })
                    .collect();
                let mut held: Vec<NaiveDate> =
                    (0..next(8)).map(|_| plus(start, next(1100) - 30)).collect();
                held.sort_unstable();
                a.reviews = held
                    .into_iter()
                    .map(|held_on| ReviewRecord {
                        held_on,
                        executive_present: next(2) == 0,
                    })
                    .collect();
                let results = [
                    RenewalResult::Renewed,
                    RenewalResult::Churned,
                    RenewalResult::Pending,
                ];
                let mut renewals: Vec<RenewalRecord> = (0..next(4))
                    .map(|_| RenewalRecord {
                        due_on: plus(start, next(1200)),
                        arr: 1000 * next(90),
                        result: results[next(3) as usize],
                    })
                    .collect();
                renewals.sort_by_key(|r| r.due_on);
                a.renewals = renewals;
                a
            })
            .collect();
        Dataset { accounts }
    }

    #[test]
    fn the_series_gives_exactly_the_figures_of_each_date_computed_alone() {
        let data = random_dataset(400, 7);
        let rules = Rules::default();
        for step in [
            crate::metrics::model::Step::Week,
            crate::metrics::model::Step::Month,
        ] {
            let dates =
                crate::metrics::model::series_dates(day("2023-12-01"), day("2027-06-30"), step);
            for filter in [
                all(),
                MetricsFilter {
                    segment: Some("SMB".into()),
                    ..MetricsFilter::default()
                },
            ] {
                let series = data.series(&rules, &filter, &dates);
                for (on, got) in dates.iter().zip(&series) {
                    assert_eq!(*got, data.metrics_on(&rules, &filter, *on), "{on}");
                }
            }
        }
        // Some of everything happened, so the comparison meant something.
        let busy = data.metrics_on(&rules, &all(), day("2026-06-01"));
        assert!(busy.covered_accounts > 0 && busy.on_schedule_accounts > 0);
        assert!(busy.stale_outcomes > 0 && busy.early_warning_accounts > 0);
    }

    #[test]
    fn the_overview_gives_the_figures_each_part_would_give_alone() {
        let data = random_dataset(300, 11);
        let rules = Rules::default();
        let on = day("2026-06-15");
        let trend = crate::metrics::model::series_dates(
            day("2025-06-17"),
            on,
            crate::metrics::model::Step::Week,
        );
        for filter in [
            all(),
            MetricsFilter {
                segment: Some("SMB".into()),
                ..MetricsFilter::default()
            },
        ] {
            let overview = data.overview(&rules, &filter, &trend, day("2026-05-16"), on);
            assert_eq!(overview.trend, data.series(&rules, &filter, &trend));
            assert_eq!(
                overview.baseline,
                data.metrics_on(&rules, &filter, day("2026-05-16"))
            );
            assert_eq!(overview.now, data.metrics_on(&rules, &filter, on));
            assert_eq!(
                overview.csms,
                data.breakdown(&rules, &filter, GroupBy::Owner, on)
            );
        }
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
        let keys: Vec<&str> = by_segment.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, ["Enterprise", "SMB"]);
        assert_eq!(by_segment[0].metrics.covered_accounts, 1);
        assert_eq!(by_segment[1].metrics, data.metrics_on(&rules, &smb, on));
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
