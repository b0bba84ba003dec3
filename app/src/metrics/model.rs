//! Metrics: the figures (the API's contract), what they are filtered and grouped by, the dates of a
//! series, and target ramps.

use crate::outcomes::model::OutcomeStatus;
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// DESIGN.md's metrics as of a day, for a set of accounts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// The day (end of day).
    pub as_of: NaiveDate,
    /// Accounts active on the day.
    pub active_accounts: u64,
    /// Active accounts with a current outcome.
    pub covered_accounts: u64,
    /// `covered / active` in [0, 1] (0 without active accounts).
    pub coverage: f64,
    /// Active accounts on schedule with their reviews.
    pub on_schedule_accounts: u64,
    /// `on schedule / active` in [0, 1].
    pub keystone: f64,
    /// Counting reviews of the last 90 days with an executive present / counting reviews.
    pub executive_participation: f64,
    /// Current outcomes neither revised nor assessed for `stale_after_days`.
    pub stale_outcomes: u64,
    /// Current outcomes expiring within 30 days.
    pub expiring_outcomes: u64,
    /// Accounts renewing within 180 days with an outcome at risk or off track, or none current.
    pub early_warning_accounts: u64,
    /// Their ARR at stake (the renewal's ARR).
    pub early_warning_arr: i64,
    /// Accounts that started in the last 90 days without a current outcome in time.
    pub onboarding_gaps: u64,
    /// Current outcomes on track (as assessed that day).
    pub on_track_outcomes: u64,
    /// Current outcomes at risk.
    pub at_risk_outcomes: u64,
    /// Current outcomes off track.
    pub off_track_outcomes: u64,
    /// Current outcomes achieved.
    pub achieved_outcomes: u64,
}

impl Metrics {
    /// The current outcomes per status, in [`OutcomeStatus::ALL`]'s order.
    pub fn outcome_statuses(&self) -> [(OutcomeStatus, u64); 4] {
        [
            (OutcomeStatus::OnTrack, self.on_track_outcomes),
            (OutcomeStatus::AtRisk, self.at_risk_outcomes),
            (OutcomeStatus::OffTrack, self.off_track_outcomes),
            (OutcomeStatus::Achieved, self.achieved_outcomes),
        ]
    }
}

/// The leading indicator against the lagging one for a group, over 12 months.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadingLagging {
    /// Active accounts summed over the 12 monthly as-of days.
    pub account_months: u64,
    /// Of those, on schedule.
    pub on_schedule_months: u64,
    /// ARR of the renewals due in the 12 months that renewed.
    pub renewed_arr: i64,
    /// ARR of the renewals due in the 12 months that were decided (renewed or churned).
    pub due_arr: i64,
}

impl LeadingLagging {
    /// Keystone over the 12 months: account-months on schedule / active account-months.
    pub fn keystone(&self) -> Option<f64> {
        (self.account_months > 0)
            .then(|| self.on_schedule_months as f64 / self.account_months as f64)
    }

    /// Renewal rate: renewed ARR / ARR due (none when nothing was due).
    pub fn renewal_rate(&self) -> Option<f64> {
        (self.due_arr > 0).then(|| self.renewed_arr as f64 / self.due_arr as f64)
    }

    /// Both groups' figures together.
    pub fn plus(self, other: Self) -> Self {
        Self {
            account_months: self.account_months + other.account_months,
            on_schedule_months: self.on_schedule_months + other.on_schedule_months,
            renewed_arr: self.renewed_arr + other.renewed_arr,
            due_arr: self.due_arr + other.due_arr,
        }
    }
}

/// One group of a breakdown: its figures on the day and over the last 12 months.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupFigures {
    /// The group's key (an owner's id, `none`, a segment or a cohort).
    pub key: String,
    /// What people call it (the owner's name; the key otherwise).
    pub name: String,
    /// The metrics on the day.
    pub metrics: Metrics,
    /// Keystone over 12 months against the renewal rate.
    pub leading_lagging: LeadingLagging,
}

/// Owner groups named by their owners (`owners` as `(id, name)`), "No owner" for none.
pub fn name_owners(groups: Vec<GroupFigures>, owners: &[(i64, String)]) -> Vec<GroupFigures> {
    let names: std::collections::HashMap<i64, &String> =
        owners.iter().map(|(id, name)| (*id, name)).collect();
    groups
        .into_iter()
        .map(|mut group| {
            group.name = group
                .key
                .parse::<i64>()
                .ok()
                .and_then(|id| names.get(&id))
                .map_or_else(|| "No owner".into(), |name| (*name).clone());
            group
        })
        .collect()
}

/// The accounts behind a figure of the dashboard (what a drill-down lists).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Figure {
    /// Active accounts.
    Active,
    /// With a current outcome.
    Covered,
    /// Without one.
    NotCovered,
    /// Reviews on schedule.
    OnSchedule,
    /// Reviews not on schedule.
    NotOnSchedule,
    /// In early warning.
    EarlyWarning,
    /// With a stale outcome.
    Stale,
    /// With an outcome expiring within 30 days.
    Expiring,
    /// In an onboarding gap.
    OnboardingGap,
    /// With a counting review in the last 90 days that no customer executive attended.
    WithoutExecutive,
    /// With a current outcome of this status.
    Status(OutcomeStatus),
}

impl Figure {
    /// Every figure, in the order the drill-down offers them.
    pub fn all() -> Vec<Figure> {
        let mut all = vec![
            Self::Active,
            Self::Covered,
            Self::NotCovered,
            Self::OnSchedule,
            Self::NotOnSchedule,
            Self::EarlyWarning,
            Self::Stale,
            Self::Expiring,
            Self::OnboardingGap,
            Self::WithoutExecutive,
        ];
        all.extend(OutcomeStatus::ALL.map(Self::Status));
        all
    }

    /// Its name in URLs and the API.
    pub fn key(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Covered => "covered",
            Self::NotCovered => "not_covered",
            Self::OnSchedule => "on_schedule",
            Self::NotOnSchedule => "not_on_schedule",
            Self::EarlyWarning => "early_warning",
            Self::Stale => "stale_outcome",
            Self::Expiring => "expiring_outcome",
            Self::OnboardingGap => "onboarding_gap",
            Self::WithoutExecutive => "without_executive",
            Self::Status(status) => status.as_str(),
        }
    }

    /// The figure named `key`.
    pub fn parse(key: &str) -> Option<Self> {
        Self::all().into_iter().find(|f| f.key() == key)
    }

    /// What the list is, for its heading ("Accounts without a current outcome").
    pub fn title(self) -> String {
        match self {
            Self::Active => "Active accounts".into(),
            Self::Covered => "Accounts with a current outcome".into(),
            Self::NotCovered => "Accounts without a current outcome".into(),
            Self::OnSchedule => "Accounts with reviews on schedule".into(),
            Self::NotOnSchedule => "Accounts with reviews not on schedule".into(),
            Self::EarlyWarning => "Accounts in early warning".into(),
            Self::Stale => "Accounts with a stale outcome".into(),
            Self::Expiring => "Accounts with an outcome expiring within 30 days".into(),
            Self::OnboardingGap => "Accounts in an onboarding gap".into(),
            Self::WithoutExecutive => {
                "Accounts reviewed in the last 90 days without a customer executive".into()
            }
            Self::Status(status) => {
                format!(
                    "Accounts with a current outcome {}",
                    status.label().to_lowercase()
                )
            }
        }
    }
}

/// One point of the dashboard's trend: actual against target (fractions).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// The day.
    pub on: NaiveDate,
    /// Coverage that day.
    pub coverage: f64,
    /// Keystone that day.
    pub keystone: f64,
    /// Executive participation over the 90 days ending that day.
    pub executive_participation: f64,
    /// The coverage target that day, if a ramp is set.
    pub coverage_target: Option<f64>,
    /// The keystone target that day, if a ramp is set.
    pub keystone_target: Option<f64>,
}

/// The pilot a pilot report is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pilot {
    /// The cohort.
    pub cohort: String,
    /// Its start date, when set.
    pub started_on: Option<NaiveDate>,
}

/// Everything the dashboard (or the pilot report) shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The day the figures are for.
    pub as_of: NaiveDate,
    /// Which accounts.
    pub filter: MetricsFilter,
    /// The pilot, on the pilot report.
    pub pilot: Option<Pilot>,
    /// The metrics that day.
    pub now: Metrics,
    /// The metrics changes are measured from: 30 days earlier, or at the pilot's start.
    pub baseline: Metrics,
    /// The trend, weekly, ending on the day: a year, or since the pilot started.
    pub trend: Vec<TrendPoint>,
    /// When coverage reaches 100 % at the pace of the last 12 weeks (none: not at this pace).
    pub coverage_full_on: Option<NaiveDate>,
    /// When keystone reaches 100 % at that pace.
    pub keystone_full_on: Option<NaiveDate>,
    /// The figures per CSM.
    pub csms: Vec<GroupFigures>,
    /// Segments to filter by.
    pub segments: Vec<String>,
    /// Cohorts to filter by.
    pub cohorts: Vec<String>,
    /// CSMs to filter by.
    pub owners: Vec<(i64, String)>,
}

/// The filter as query parameters (`segment=…&cohort=…&owner=…`, none when empty); `owner_key`
/// names the owner (`owner` on pages, `owner_id` in the API).
pub fn filter_query(filter: &MetricsFilter, owner_key: &str) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(segment) = &filter.segment {
        pairs.push(("segment", segment.clone()));
    }
    if let Some(cohort) = &filter.cohort {
        pairs.push(("cohort", cohort.clone()));
    }
    if let Some(owner) = filter.owner_id {
        pairs.push((owner_key, owner.to_string()));
    }
    pairs
        .into_iter()
        .map(|(k, v)| format!("&{k}={}", crate::components::format::url_component(&v)))
        .collect()
}

/// The query string of a dashboard view: `as_of=…` and the filter.
pub fn view_query(as_of: NaiveDate, filter: &MetricsFilter) -> String {
    format!("as_of={as_of}{}", filter_query(filter, "owner"))
}

/// The page listing the accounts behind `figure` in a dashboard view.
pub fn drill_down_href(figure: Figure, as_of: NaiveDate, filter: &MetricsFilter) -> String {
    format!(
        "/dashboard/accounts?figure={}&{}",
        figure.key(),
        view_query(as_of, filter)
    )
}

/// The dashboard view of `filter` on `as_of`.
pub fn dashboard_href(as_of: NaiveDate, filter: &MetricsFilter) -> String {
    format!("/dashboard?{}", view_query(as_of, filter))
}

/// An API answer as CSV: `path?query` with the filter.
pub fn csv_href(path: &str, query: &str, filter: &MetricsFilter) -> String {
    format!(
        "{path}?{query}{}&format=csv",
        filter_query(filter, "owner_id")
    )
}

/// Accounts listed per drill-down page.
pub const DRILL_DOWN_PAGE: u32 = 50;

/// One page of the accounts behind a figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrillDown {
    /// The figure.
    pub figure: Figure,
    /// The day.
    pub as_of: NaiveDate,
    /// Which accounts.
    pub filter: MetricsFilter,
    /// How many accounts are behind it.
    pub total: u64,
    /// The page shown (from 1).
    pub page: u32,
    /// The accounts on it, largest ARR first.
    pub items: Vec<crate::accounts::model::Account>,
}

impl DrillDown {
    /// How many pages there are (at least one).
    pub fn page_count(&self) -> u32 {
        drill_down_pages(self.total)
    }
}

/// How many drill-down pages `total` accounts fill (at least one).
pub fn drill_down_pages(total: u64) -> u32 {
    u32::try_from(total.div_ceil(u64::from(DRILL_DOWN_PAGE)).max(1)).unwrap_or(u32::MAX)
}

/// A fraction as a percentage with one decimal (`0.7441` → "74.4 %").
pub fn percent(fraction: f64) -> String {
    format!("{:.1} %", fraction * 100.0)
}

/// A change of a fraction in percentage points, signed (`+1.2 pts`).
pub fn points_change(now: f64, before: f64) -> String {
    format!("{:+.1} pts", (now - before) * 100.0)
}

/// Which accounts the metrics are about (their current owner, segment and cohorts).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricsFilter {
    /// Only this segment.
    pub segment: Option<String>,
    /// Only accounts in this cohort.
    pub cohort: Option<String>,
    /// Only this owner's accounts.
    pub owner_id: Option<i64>,
}

/// What a breakdown groups by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// The owner CSM.
    Owner,
    /// The segment.
    Segment,
    /// Each cohort (an account in several counts in each).
    Cohort,
}

impl GroupBy {
    /// The group named `value` (`owner`, `segment`, `cohort`).
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "owner" => Some(Self::Owner),
            "segment" => Some(Self::Segment),
            "cohort" => Some(Self::Cohort),
            _ => None,
        }
    }
}

/// The spacing of a series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Every 7 days.
    Week,
    /// Every calendar month (the same day, or the month's last when shorter).
    Month,
}

impl Step {
    /// The step named `value` (`week`, `month`).
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "week" => Some(Self::Week),
            "month" => Some(Self::Month),
            _ => None,
        }
    }
}

/// Longest series answered, in points.
pub const MAX_POINTS: usize = 600;

/// The days of a series from `from` to `to` (both included when on a step) by `step`.
pub fn series_dates(from: NaiveDate, to: NaiveDate, step: Step) -> Vec<NaiveDate> {
    let mut dates = Vec::new();
    let mut n: u32 = 0;
    loop {
        let day = match step {
            Step::Week => from.checked_add_days(Days::new(7 * u64::from(n))),
            Step::Month => from.checked_add_months(Months::new(n)),
        };
        match day {
            Some(day) if day <= to && dates.len() < MAX_POINTS => dates.push(day),
            _ => break,
        }
        n += 1;
    }
    dates
}

/// One milestone of a target ramp.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    /// The day.
    pub on: NaiveDate,
    /// The target that day, in percent.
    pub percent: f64,
}

/// The target on `day` from a ramp (sorted by day): linear between milestones, the first one's
/// before it, the last one's after it; none without milestones.
pub fn target_on(ramp: &[Milestone], day: NaiveDate) -> Option<f64> {
    let after = ramp.partition_point(|m| m.on <= day);
    match (after.checked_sub(1).map(|i| ramp[i]), ramp.get(after)) {
        (None, None) => None,
        (None, Some(next)) => Some(next.percent),
        (Some(last), None) => Some(last.percent),
        (Some(a), Some(b)) => {
            let span = (b.on - a.on).num_days() as f64;
            let into = (day - a.on).num_days() as f64;
            Some(a.percent + (b.percent - a.percent) * into / span)
        }
    }
}

/// When a fraction (in [0, 1]) reaches 1, from a least-squares line through `points` (the last
/// 12 weeks): `None` when it is not rising ("not at the current pace"), today when already there.
pub fn projected_full(points: &[(NaiveDate, f64)]) -> Option<NaiveDate> {
    let (first, last) = (points.first()?, points.last()?);
    if last.1 >= 1.0 {
        return Some(last.0);
    }
    let n = points.len() as f64;
    let x = |d: NaiveDate| (d - first.0).num_days() as f64;
    let mean_x = points.iter().map(|(d, _)| x(*d)).sum::<f64>() / n;
    let mean_y = points.iter().map(|(_, y)| *y).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|(d, _)| (x(*d) - mean_x).powi(2)).sum();
    let sxy: f64 = points
        .iter()
        .map(|(d, y)| (x(*d) - mean_x) * (y - mean_y))
        .sum();
    if sxx == 0.0 || sxy <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let intercept = mean_y - slope * mean_x;
    let days_to_full = (1.0 - intercept) / slope;
    // Past about 30 years the pace does not reach it in any meaningful sense.
    if !(0.0..=11_000.0).contains(&days_to_full) {
        return None;
    }
    // The first whole day at or past full (a hair of tolerance for floating-point sums).
    let day = first
        .0
        .checked_add_days(Days::new((days_to_full - 1e-9).ceil() as u64))?;
    Some(day.max(last.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    #[test]
    fn fractions_read_as_percentages_and_changes_as_signed_points() {
        assert_eq!(percent(0.74411), "74.4 %");
        assert_eq!(percent(0.0), "0.0 %");
        assert_eq!(points_change(0.75, 0.7), "+5.0 pts");
        assert_eq!(points_change(0.7, 0.75), "-5.0 pts");
    }

    #[test]
    fn views_travel_in_links_with_their_filters_encoded() {
        let filter = MetricsFilter {
            segment: Some("Mid-Market & More".into()),
            cohort: None,
            owner_id: Some(7),
        };
        assert_eq!(
            drill_down_href(Figure::NotCovered, day("2026-12-04"), &filter),
            "/dashboard/accounts?figure=not_covered&as_of=2026-12-04&segment=Mid-Market%20%26%20More&owner=7"
        );
        assert_eq!(
            csv_href("/api/v1/metrics", "as_of=2026-12-04", &filter),
            "/api/v1/metrics?as_of=2026-12-04&segment=Mid-Market%20%26%20More&owner_id=7&format=csv"
        );
        assert_eq!(
            dashboard_href(day("2026-12-04"), &MetricsFilter::default()),
            "/dashboard?as_of=2026-12-04"
        );
    }

    #[test]
    fn owner_groups_take_their_owners_names() {
        let metrics = Metrics {
            as_of: day("2026-12-04"),
            active_accounts: 0,
            covered_accounts: 0,
            coverage: 0.0,
            on_schedule_accounts: 0,
            keystone: 0.0,
            executive_participation: 0.0,
            stale_outcomes: 0,
            expiring_outcomes: 0,
            early_warning_accounts: 0,
            early_warning_arr: 0,
            onboarding_gaps: 0,
            on_track_outcomes: 0,
            at_risk_outcomes: 0,
            off_track_outcomes: 0,
            achieved_outcomes: 0,
        };
        let group = |key: &str| GroupFigures {
            key: key.into(),
            name: key.into(),
            metrics: metrics.clone(),
            leading_lagging: LeadingLagging::default(),
        };
        let named = name_owners(
            vec![group("7"), group("none")],
            &[(7, "Ada Lovelace".into()), (8, "Grace Hopper".into())],
        );
        let names: Vec<&str> = named.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["Ada Lovelace", "No owner"]);
    }

    #[test]
    fn series_dates_step_by_week_or_calendar_month() {
        let weeks = series_dates(day("2026-01-01"), day("2026-01-29"), Step::Week);
        assert_eq!(weeks.len(), 5);
        assert_eq!(weeks[4], day("2026-01-29"));
        let months = series_dates(day("2026-01-31"), day("2026-04-30"), Step::Month);
        assert_eq!(
            months,
            [
                day("2026-01-31"),
                day("2026-02-28"),
                day("2026-03-31"),
                day("2026-04-30")
            ]
        );
        assert!(series_dates(day("2026-02-01"), day("2026-01-01"), Step::Week).is_empty());
    }

    #[test]
    fn a_target_is_linear_between_milestones_and_flat_outside() {
        let ramp = [
            Milestone {
                on: day("2026-01-01"),
                percent: 50.0,
            },
            Milestone {
                on: day("2026-01-11"),
                percent: 100.0,
            },
        ];
        assert_eq!(target_on(&ramp, day("2025-06-01")), Some(50.0));
        assert_eq!(target_on(&ramp, day("2026-01-01")), Some(50.0));
        assert_eq!(target_on(&ramp, day("2026-01-06")), Some(75.0));
        assert_eq!(target_on(&ramp, day("2026-01-11")), Some(100.0));
        assert_eq!(target_on(&ramp, day("2027-01-01")), Some(100.0));
        assert_eq!(target_on(&[], day("2026-01-01")), None);
    }

    #[test]
    fn the_projection_extends_the_trend_to_full_or_says_it_will_not_get_there() {
        let start = day("2026-01-01");
        let rising: Vec<_> = (0..12)
            .map(|w| (start + Days::new(7 * w), 0.5 + 0.01 * w as f64))
            .collect();
        // 1 percentage point a week from 50 %: full after 50 weeks, on 2026-12-17.
        assert_eq!(projected_full(&rising), Some(day("2026-12-17")));
        let flat: Vec<_> = (0..12).map(|w| (start + Days::new(7 * w), 0.6)).collect();
        assert_eq!(projected_full(&flat), None);
        let falling: Vec<_> = (0..12)
            .map(|w| (start + Days::new(7 * w), 0.6 - 0.01 * w as f64))
            .collect();
        assert_eq!(projected_full(&falling), None);
        assert_eq!(projected_full(&[(start, 1.0)]), Some(start));
        assert_eq!(projected_full(&[]), None);
    }
}
