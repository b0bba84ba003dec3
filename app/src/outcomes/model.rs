//! Business Outcomes: types shared by server and browser, and the `current` rule.

use crate::error::{checked_text, FieldError};
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

impl OutcomeStatus {
    /// Every status, in the order forms offer them.
    pub const ALL: [OutcomeStatus; 4] =
        [Self::OnTrack, Self::AtRisk, Self::OffTrack, Self::Achieved];

    /// The status named `value` (as in [`OutcomeStatus::as_str`]).
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
    }
}

/// Everything the outcome page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutcomeDetail {
    /// The server's today.
    pub as_of: NaiveDate,
    /// The outcome.
    pub outcome: Outcome,
    /// Its account's name.
    pub account_name: String,
    /// Whether the signed-in user may change it.
    pub can_edit: bool,
    /// Its history, newest first.
    pub revisions: Vec<crate::revisions::model::Revision>,
}

impl OutcomeDetail {
    /// Days since the outcome last changed (its freshness), counted in whole UTC days.
    pub fn days_since_update(&self) -> i64 {
        chrono::DateTime::parse_from_rfc3339(&self.outcome.updated_at)
            .map(|at| (self.as_of - at.date_naive()).num_days().max(0))
            .unwrap_or(0)
    }
}

/// Longest title accepted.
pub const TITLE_MAX: usize = 200;
/// Longest description accepted.
pub const DESCRIPTION_MAX: usize = 5_000;
/// Longest success measure accepted.
pub const MEASURE_MAX: usize = 1_000;
/// Longest unit accepted.
pub const UNIT_MAX: usize = 40;
/// Longest reason accepted.
pub const REASON_MAX: usize = 500;

/// An outcome's fields as typed into its form (or sent by another system): text, checked by
/// [`OutcomeForm::validate`] on the server, so that what the user typed can always be shown back.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OutcomeForm {
    /// Short title; required.
    #[serde(default)]
    pub title: String,
    /// Longer description.
    #[serde(default)]
    pub description: String,
    /// How the customer judges success.
    #[serde(default)]
    pub success_measure: String,
    /// Where the measure starts (a number, or empty).
    #[serde(default)]
    pub baseline_value: String,
    /// Where it should get to (a number, or empty).
    #[serde(default)]
    pub target_value: String,
    /// Unit of baseline and target.
    #[serde(default)]
    pub unit: String,
    /// First day it is current (`YYYY-MM-DD`); required.
    #[serde(default)]
    pub valid_from: String,
    /// Last day it is current; empty means one year after `valid_from`.
    #[serde(default)]
    pub expires_on: String,
    /// `on_track`, `at_risk`, `off_track` or `achieved`; empty means `on_track`.
    #[serde(default)]
    pub status: String,
    /// Why the change is made; required for every change but the creation.
    #[serde(default)]
    pub reason: String,
}

/// An outcome's editable fields, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeFields {
    /// Short title.
    pub title: String,
    /// Longer description.
    pub description: String,
    /// How the customer judges success.
    pub success_measure: String,
    /// Where the measure starts.
    pub baseline_value: Option<f64>,
    /// Where it should get to.
    pub target_value: Option<f64>,
    /// Unit of baseline and target.
    pub unit: Option<String>,
    /// First day it is current.
    pub valid_from: NaiveDate,
    /// Last day it is current.
    pub expires_on: NaiveDate,
    /// How it is going.
    pub status: OutcomeStatus,
}

impl OutcomeFields {
    /// The fields of a stored outcome.
    pub fn of(outcome: &Outcome) -> Self {
        Self {
            title: outcome.title.clone(),
            description: outcome.description.clone(),
            success_measure: outcome.success_measure.clone(),
            baseline_value: outcome.baseline_value,
            target_value: outcome.target_value,
            unit: outcome.unit.clone(),
            valid_from: outcome.valid_from,
            expires_on: outcome.expires_on,
            status: outcome.status,
        }
    }

    /// Field name and JSON value of each field, as revisions record them.
    pub fn values(&self) -> Vec<(&'static str, serde_json::Value)> {
        use serde_json::json;
        vec![
            ("title", json!(self.title)),
            ("description", json!(self.description)),
            ("success_measure", json!(self.success_measure)),
            ("baseline_value", json!(self.baseline_value)),
            ("target_value", json!(self.target_value)),
            ("unit", json!(self.unit)),
            ("valid_from", json!(self.valid_from)),
            ("expires_on", json!(self.expires_on)),
            ("status", json!(self.status)),
        ]
    }
}

/// A date typed as `YYYY-MM-DD`, `None` when empty.
pub fn parse_date(errors: &mut Vec<FieldError>, field: &str, value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let parsed = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok();
    if parsed.is_none() {
        errors.push(FieldError::new(field, "must be a date like 2026-12-31"));
    }
    parsed
}

/// A number, `None` when empty (thousands separators and spaces are ignored).
fn parse_number(errors: &mut Vec<FieldError>, field: &str, value: &str) -> Option<f64> {
    let cleaned: String = value
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    match cleaned.parse::<f64>() {
        Ok(number) if number.is_finite() => Some(number),
        _ => {
            errors.push(FieldError::new(field, "must be a number, like 12.5"));
            None
        }
    }
}

/// The reason of a change: required, at most [`REASON_MAX`] characters.
pub fn check_reason(errors: &mut Vec<FieldError>, reason: &str) -> String {
    checked_text(errors, "reason", reason, REASON_MAX, true)
}

/// The day after which a new outcome expires by default: one year after it starts.
pub fn default_expiry(valid_from: NaiveDate) -> NaiveDate {
    valid_from
        .checked_add_months(chrono::Months::new(12))
        .unwrap_or(valid_from)
}

impl OutcomeForm {
    /// The checked fields, or every problem at once (each next to its field).
    pub fn validate(&self) -> Result<OutcomeFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = checked_text(&mut errors, "title", &self.title, TITLE_MAX, true);
        let description = checked_text(
            &mut errors,
            "description",
            &self.description,
            DESCRIPTION_MAX,
            false,
        );
        let success_measure = checked_text(
            &mut errors,
            "success_measure",
            &self.success_measure,
            MEASURE_MAX,
            false,
        );
        let baseline_value = parse_number(&mut errors, "baseline_value", &self.baseline_value);
        let target_value = parse_number(&mut errors, "target_value", &self.target_value);
        let unit = checked_text(&mut errors, "unit", &self.unit, UNIT_MAX, false);
        let valid_from = parse_date(&mut errors, "valid_from", &self.valid_from);
        if valid_from.is_none() && self.valid_from.trim().is_empty() {
            errors.push(FieldError::new("valid_from", "is required"));
        }
        let expires_on = parse_date(&mut errors, "expires_on", &self.expires_on);
        if let (Some(from), Some(to)) = (valid_from, expires_on) {
            if to < from {
                errors.push(FieldError::new(
                    "expires_on",
                    "must not be before the start date",
                ));
            }
        }
        let status = match self.status.trim() {
            "" => Some(OutcomeStatus::OnTrack),
            other => OutcomeStatus::parse(other),
        };
        if status.is_none() {
            errors.push(FieldError::new(
                "status",
                "must be one of on_track, at_risk, off_track, achieved",
            ));
        }
        match (valid_from, status) {
            (Some(valid_from), Some(status)) if errors.is_empty() => Ok(OutcomeFields {
                title,
                description,
                success_measure,
                baseline_value,
                target_value,
                unit: (!unit.is_empty()).then_some(unit),
                valid_from,
                expires_on: expires_on.unwrap_or_else(|| default_expiry(valid_from)),
                status,
            }),
            _ => Err(errors),
        }
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

    fn form() -> OutcomeForm {
        OutcomeForm {
            title: "  Cut onboarding time  ".into(),
            valid_from: "2026-01-10".into(),
            ..OutcomeForm::default()
        }
    }

    fn fields_with_errors(form: &OutcomeForm) -> Vec<String> {
        form.validate()
            .expect_err("invalid input")
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_minimal_outcome_is_on_track_for_a_year_from_its_start() {
        let fields = form().validate().expect("valid");
        assert_eq!(fields.title, "Cut onboarding time");
        assert_eq!(fields.status, OutcomeStatus::OnTrack);
        assert_eq!(fields.expires_on, day("2027-01-10"));
        assert_eq!(fields.unit, None);
        assert_eq!(fields.baseline_value, None);
    }

    #[test]
    fn a_leap_day_start_expires_on_the_last_day_of_february() {
        assert_eq!(default_expiry(day("2028-02-29")), day("2029-02-28"));
    }

    #[test]
    fn title_is_required_and_at_most_200_characters() {
        let blank = OutcomeForm {
            title: "   ".into(),
            ..form()
        };
        assert_eq!(fields_with_errors(&blank), ["title"]);
        let long = OutcomeForm {
            title: "x".repeat(201),
            ..form()
        };
        assert_eq!(fields_with_errors(&long), ["title"]);
        let longest = OutcomeForm {
            title: "é".repeat(200),
            ..form()
        };
        assert!(longest.validate().is_ok());
    }

    #[test]
    fn expiry_must_not_precede_the_start_but_may_equal_it() {
        let before = OutcomeForm {
            expires_on: "2026-01-09".into(),
            ..form()
        };
        assert_eq!(fields_with_errors(&before), ["expires_on"]);
        let same = OutcomeForm {
            expires_on: "2026-01-10".into(),
            ..form()
        };
        assert_eq!(
            same.validate().expect("valid").expires_on,
            day("2026-01-10")
        );
    }

    #[test]
    fn numbers_dates_and_statuses_are_checked_and_every_problem_reported() {
        let bad = OutcomeForm {
            title: String::new(),
            baseline_value: "ten".into(),
            target_value: "1,250.5".into(),
            valid_from: "10/01/2026".into(),
            status: "great".into(),
            ..OutcomeForm::default()
        };
        assert_eq!(
            fields_with_errors(&bad),
            ["title", "baseline_value", "valid_from", "status"]
        );
        let good = OutcomeForm {
            target_value: "1,250.5".into(),
            unit: " hours ".into(),
            status: "at_risk".into(),
            ..form()
        };
        let fields = good.validate().expect("valid");
        assert_eq!(fields.target_value, Some(1250.5));
        assert_eq!(fields.unit.as_deref(), Some("hours"));
        assert_eq!(fields.status, OutcomeStatus::AtRisk);
    }

    #[test]
    fn a_missing_start_date_is_required() {
        let missing = OutcomeForm {
            valid_from: String::new(),
            ..form()
        };
        assert_eq!(fields_with_errors(&missing), ["valid_from"]);
    }

    #[test]
    fn a_reason_is_required_and_checked_text() {
        let mut errors = Vec::new();
        check_reason(&mut errors, "  ");
        check_reason(&mut errors, &"x".repeat(501));
        assert_eq!(errors.len(), 2);
        let mut none = Vec::new();
        assert_eq!(
            check_reason(&mut none, " Customer asked "),
            "Customer asked"
        );
        assert!(none.is_empty());
    }
}
