//! Business Outcomes: types shared by server and browser, and the `current` rule.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Whether an outcome is current at the end of day `on` (DESIGN.md, "current").
///
/// Current from `valid_from` through `expires_on`, both included, unless it was retired on or
/// before `on`.
pub fn is_current(
    valid_from: NaiveDate,
    expires_on: NaiveDate,
    retired_on: Option<NaiveDate>,
    on: NaiveDate,
) -> bool {
    valid_from <= on && on <= expires_on && retired_on.is_none_or(|retired| retired > on)
}

/// How the customer's outcome is going, as last assessed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "TEXT", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum OutcomeStatus {
    /// Progressing as planned.
    OnTrack,
    /// Could miss; needs attention.
    AtRisk,
    /// Will miss without a change of course.
    OffTrack,
    /// Reached.
    Achieved,
}

impl OutcomeStatus {
    /// The value used in the database, URLs and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OnTrack => "on_track",
            Self::AtRisk => "at_risk",
            Self::OffTrack => "off_track",
            Self::Achieved => "achieved",
        }
    }

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Self::OnTrack => "On track",
            Self::AtRisk => "At risk",
            Self::OffTrack => "Off track",
            Self::Achieved => "Achieved",
        }
    }
}

/// A Business Outcome of an account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Outcome {
    /// Keystone's id.
    pub id: i64,
    /// The account whose outcome it is.
    pub account_id: i64,
    /// Short title.
    pub title: String,
    /// Longer description.
    pub description: String,
    /// How the customer judges it.
    pub success_measure: String,
    /// Where the measure started, if known.
    pub baseline_value: Option<f64>,
    /// Where the measure should get to, if set.
    pub target_value: Option<f64>,
    /// Unit of the baseline and target values.
    pub unit: Option<String>,
    /// First day it is current.
    pub valid_from: NaiveDate,
    /// Last day it is current.
    pub expires_on: NaiveDate,
    /// Day it stopped being current early, if it was retired.
    pub retired_on: Option<NaiveDate>,
    /// Latest assessment.
    pub status: OutcomeStatus,
    /// Latest revision number.
    pub revision: i64,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl Outcome {
    /// Whether the outcome is current at the end of day `on`.
    pub fn is_current_on(&self, on: NaiveDate) -> bool {
        is_current(self.valid_from, self.expires_on, self.retired_on, on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    #[test]
    fn an_outcome_is_current_from_valid_from_through_expires_on_inclusive() {
        let (from, to) = (day("2026-01-01"), day("2026-12-31"));
        assert!(!is_current(from, to, None, day("2025-12-31")));
        assert!(is_current(from, to, None, day("2026-01-01")));
        assert!(is_current(from, to, None, day("2026-12-31")));
        assert!(!is_current(from, to, None, day("2027-01-01")));
    }

    #[test]
    fn a_retired_outcome_stops_being_current_on_its_retirement_day() {
        let (from, to) = (day("2026-01-01"), day("2026-12-31"));
        let retired = Some(day("2026-06-15"));
        assert!(is_current(from, to, retired, day("2026-06-14")));
        assert!(!is_current(from, to, retired, day("2026-06-15")));
        assert!(!is_current(from, to, retired, day("2026-09-01")));
    }

    #[test]
    fn an_outcome_valid_for_a_single_day_is_current_on_that_day_only() {
        let d = day("2026-05-05");
        assert!(is_current(d, d, None, d));
        assert!(!is_current(d, d, None, day("2026-05-06")));
    }

    #[test]
    fn an_outcome_retired_before_it_started_is_never_current() {
        assert!(!is_current(
            day("2026-02-01"),
            day("2026-12-31"),
            Some(day("2026-01-15")),
            day("2026-03-01")
        ));
    }
}
