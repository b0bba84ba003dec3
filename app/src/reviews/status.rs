//! Review status of an account as of a day (DESIGN.md, "on schedule" and "review status"): the one
//! implementation behind the account page, the API, the worklist and the keystone metric.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// Days before the window closes from which an on-schedule account is "due soon".
pub const DUE_SOON_DAYS: i64 = 14;

/// Where an account stands with its Business Outcome Reviews on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// On schedule, with more than two weeks left in the window.
    OnSchedule,
    /// On schedule, but the window closes within two weeks.
    DueSoon,
    /// Not on schedule, though it had a counting review before.
    Overdue,
    /// Not on schedule and never had a counting review.
    NeverReviewed,
}

impl ReviewStatus {
    /// Every status, in the order pages list them.
    pub const ALL: [ReviewStatus; 4] = [
        Self::Overdue,
        Self::DueSoon,
        Self::NeverReviewed,
        Self::OnSchedule,
    ];

    /// The value used in the API and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OnSchedule => "on_schedule",
            Self::DueSoon => "due_soon",
            Self::Overdue => "overdue",
            Self::NeverReviewed => "never_reviewed",
        }
    }

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Self::OnSchedule => "On schedule",
            Self::DueSoon => "Due soon",
            Self::Overdue => "Overdue",
            Self::NeverReviewed => "Never reviewed",
        }
    }

    /// Whether the account counts as on schedule for the keystone metric.
    pub fn is_on_schedule(self) -> bool {
        matches!(self, Self::OnSchedule | Self::DueSoon)
    }
}

/// An account's review standing on a day: its status and the day its current window closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    /// The status.
    pub status: ReviewStatus,
    /// The first day the account is no longer on schedule (already past when overdue).
    pub window_closes_on: NaiveDate,
    /// The latest counting review held on or before the day.
    pub last_review_on: Option<NaiveDate>,
}

/// The review standing on day `on` of an account that started on `start_date`, reviews every
/// `cadence_days` with `grace_days` of grace, and whose latest counting review held on or before
/// `on` was on `last_review_on`.
///
/// On schedule when that review, or the start date (the first review is not due yet), lies in
/// `(on - cadence - grace, on]`; the window closes `cadence + grace` days after the later of the
/// two.
pub fn standing(
    start_date: NaiveDate,
    cadence_days: i64,
    grace_days: i64,
    last_review_on: Option<NaiveDate>,
    on: NaiveDate,
) -> Standing {
    let last_review_on = last_review_on.filter(|held| *held <= on);
    let anchor = last_review_on.map_or(start_date, |held| held.max(start_date));
    let span = u64::try_from(cadence_days.max(0) + grace_days.max(0)).unwrap_or(0);
    let window_closes_on = anchor
        .checked_add_days(Days::new(span))
        .unwrap_or(NaiveDate::MAX);
    let on_schedule = anchor <= on && on < window_closes_on;
    let status = match (on_schedule, last_review_on) {
        (true, _) if (window_closes_on - on).num_days() <= DUE_SOON_DAYS => ReviewStatus::DueSoon,
        (true, _) => ReviewStatus::OnSchedule,
        (false, Some(_)) => ReviewStatus::Overdue,
        (false, None) => ReviewStatus::NeverReviewed,
    };
    Standing {
        status,
        window_closes_on,
        last_review_on,
    }
}

/// The date a new review should be planned for: before the window closes, leaving the grace
/// period untouched (the cadence after the anchor), and never in the past.
pub fn proposed_date(standing: &Standing, grace_days: i64, today: NaiveDate) -> NaiveDate {
    let due = standing
        .window_closes_on
        .checked_sub_days(Days::new(u64::try_from(grace_days.max(0)).unwrap_or(0)))
        .unwrap_or(today);
    due.max(today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    const CADENCE: i64 = 90;
    const GRACE: i64 = 14;

    fn status(last: Option<&str>, on: &str) -> Standing {
        standing(day("2025-01-01"), CADENCE, GRACE, last.map(day), day(on))
    }

    #[test]
    fn the_window_runs_cadence_plus_grace_days_after_the_last_counting_review() {
        // Held 2026-01-10: the window closes 104 days later, on 2026-04-24.
        let last = Some("2026-01-10");
        assert_eq!(
            status(last, "2026-01-10").window_closes_on,
            day("2026-04-24")
        );
        assert!(status(last, "2026-04-23").status.is_on_schedule());
        assert_eq!(status(last, "2026-04-24").status, ReviewStatus::Overdue);
        assert_eq!(status(last, "2027-01-01").status, ReviewStatus::Overdue);
    }

    #[test]
    fn due_soon_is_the_last_fourteen_days_of_the_window() {
        let last = Some("2026-01-10"); // closes 2026-04-24
        assert_eq!(status(last, "2026-04-09").status, ReviewStatus::OnSchedule);
        assert_eq!(status(last, "2026-04-10").status, ReviewStatus::DueSoon);
        assert_eq!(status(last, "2026-04-23").status, ReviewStatus::DueSoon);
    }

    #[test]
    fn a_new_account_is_on_schedule_until_its_first_review_is_due() {
        let start = day("2026-11-01");
        let first_days = standing(start, CADENCE, GRACE, None, day("2026-11-01"));
        assert_eq!(first_days.status, ReviewStatus::OnSchedule);
        assert_eq!(first_days.window_closes_on, day("2027-02-13"));
        let late = standing(start, CADENCE, GRACE, None, day("2027-02-13"));
        assert_eq!(late.status, ReviewStatus::NeverReviewed);
        let before_start = standing(start, CADENCE, GRACE, None, day("2026-10-31"));
        assert_eq!(before_start.status, ReviewStatus::NeverReviewed);
    }

    #[test]
    fn an_account_without_any_counting_review_is_never_reviewed() {
        assert_eq!(
            status(None, "2026-12-04").status,
            ReviewStatus::NeverReviewed
        );
        assert_eq!(status(None, "2026-12-04").last_review_on, None);
    }

    #[test]
    fn a_review_after_the_day_does_not_count_on_that_day() {
        let standing = status(Some("2026-12-05"), "2026-12-04");
        assert_eq!(standing.status, ReviewStatus::NeverReviewed);
        assert_eq!(standing.last_review_on, None);
    }

    #[test]
    fn grace_is_part_of_the_window() {
        let no_grace = standing(
            day("2025-01-01"),
            90,
            0,
            Some(day("2026-01-10")),
            day("2026-04-10"),
        );
        assert_eq!(no_grace.status, ReviewStatus::Overdue);
        let with_grace = standing(
            day("2025-01-01"),
            90,
            14,
            Some(day("2026-01-10")),
            day("2026-04-10"),
        );
        assert!(with_grace.status.is_on_schedule());
    }

    #[test]
    fn the_proposed_date_is_the_cadence_after_the_last_review_and_never_in_the_past() {
        let standing = status(Some("2026-01-10"), "2026-02-01");
        assert_eq!(
            proposed_date(&standing, GRACE, day("2026-02-01")),
            day("2026-04-10")
        );
        let overdue = status(Some("2025-06-01"), "2026-02-01");
        assert_eq!(
            proposed_date(&overdue, GRACE, day("2026-02-01")),
            day("2026-02-01")
        );
    }
}
