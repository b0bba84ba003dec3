//! An account as typed into its form (admins and leaders), and its validation.

use super::model::Account;
use crate::error::{checked_text, FieldError};
use crate::outcomes::model::parse_date;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An account's fields as typed: text, checked by [`AccountForm::validate`] on the server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountForm {
    /// Company name; required.
    pub name: String,
    /// CRM id; optional, unique.
    pub external_id: String,
    /// Owner's user id, or empty for none.
    pub owner_id: String,
    /// Segment name.
    pub segment: String,
    /// ARR in whole currency units.
    pub arr: String,
    /// Customer since (`YYYY-MM-DD`); required.
    pub start_date: String,
    /// Churn date; optional.
    pub end_date: String,
    /// Next renewal; optional.
    pub renewal_date: String,
    /// Review cadence override in days; empty means the segment's.
    pub cadence_days: String,
    /// Cohort names, separated by commas.
    pub cohorts: String,
}

/// An account's editable fields, checked (the database still checks that owner and segment exist
/// and that the CRM id is unique).
#[derive(Clone, Debug, PartialEq)]
pub struct AccountFields {
    /// Company name.
    pub name: String,
    /// CRM id.
    pub external_id: Option<String>,
    /// Owner's user id.
    pub owner_id: Option<i64>,
    /// Segment name.
    pub segment: String,
    /// ARR.
    pub arr: i64,
    /// Customer since.
    pub start_date: NaiveDate,
    /// Churn date.
    pub end_date: Option<NaiveDate>,
    /// Next renewal.
    pub renewal_date: Option<NaiveDate>,
    /// Review cadence override.
    pub cadence_days: Option<i64>,
    /// Cohort names, sorted, without duplicates.
    pub cohorts: Vec<String>,
}

impl AccountFields {
    /// Field name and JSON value of each field, as the audit log records a change.
    pub fn values(&self) -> Vec<(&'static str, serde_json::Value)> {
        use serde_json::json;
        vec![
            ("name", json!(self.name)),
            ("external_id", json!(self.external_id)),
            ("owner_id", json!(self.owner_id)),
            ("segment", json!(self.segment)),
            ("arr", json!(self.arr)),
            ("start_date", json!(self.start_date)),
            ("end_date", json!(self.end_date)),
            ("renewal_date", json!(self.renewal_date)),
            ("cadence_days", json!(self.cadence_days)),
            ("cohorts", json!(self.cohorts)),
        ]
    }
}

impl AccountForm {
    /// The form filled from a stored account; `cadence_override` is its own cadence, if any.
    pub fn of(account: &Account, cadence_override: Option<i64>) -> Self {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        Self {
            name: account.name.clone(),
            external_id: account.external_id.clone().unwrap_or_default(),
            owner_id: account
                .owner_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            segment: account.segment.clone(),
            arr: account.arr.to_string(),
            start_date: account.start_date.to_string(),
            end_date: date(account.end_date),
            renewal_date: date(account.renewal_date),
            cadence_days: cadence_override.map(|d| d.to_string()).unwrap_or_default(),
            cohorts: account.cohorts.join(", "),
        }
    }

    /// The checked fields, or every problem at once.
    pub fn validate(&self) -> Result<AccountFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = checked_text(&mut errors, "name", &self.name, 200, true);
        let external_id = checked_text(&mut errors, "external_id", &self.external_id, 100, false);
        let owner_id = match self.owner_id.trim() {
            "" => None,
            id => match id.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    errors.push(FieldError::new("owner_id", "must be a user"));
                    None
                }
            },
        };
        let segment = self.segment.trim().to_string();
        if segment.is_empty() {
            errors.push(FieldError::new("segment", "is required"));
        }
        let arr_text: String = self
            .arr
            .chars()
            .filter(|c| !matches!(c, ',' | '_' | ' ' | '$'))
            .collect();
        let arr = match arr_text.as_str() {
            "" => 0,
            text => match text.parse::<i64>() {
                Ok(arr) if arr >= 0 => arr,
                _ => {
                    errors.push(FieldError::new("arr", "must be a whole amount, 0 or more"));
                    0
                }
            },
        };
        let start_date = parse_date(&mut errors, "start_date", &self.start_date);
        if self.start_date.trim().is_empty() {
            errors.push(FieldError::new("start_date", "is required"));
        }
        let end_date = parse_date(&mut errors, "end_date", &self.end_date);
        if let (Some(start), Some(end)) = (start_date, end_date) {
            if end < start {
                errors.push(FieldError::new(
                    "end_date",
                    "must not be before the customer-since date",
                ));
            }
        }
        let renewal_date = parse_date(&mut errors, "renewal_date", &self.renewal_date);
        let cadence_days = match self.cadence_days.trim() {
            "" => None,
            days => match days.parse::<i64>() {
                Ok(days) if (1..=3650).contains(&days) => Some(days),
                _ => {
                    errors.push(FieldError::new(
                        "cadence_days",
                        "must be a number of days from 1 to 3650",
                    ));
                    None
                }
            },
        };
        let mut cohorts: Vec<String> = self
            .cohorts
            .split(',')
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        if cohorts.iter().any(|c| c.chars().count() > 100) {
            errors.push(FieldError::new(
                "cohorts",
                "each cohort name must be at most 100 characters",
            ));
        }
        cohorts.sort();
        cohorts.dedup();
        match start_date {
            Some(start_date) if errors.is_empty() => Ok(AccountFields {
                name,
                external_id: (!external_id.is_empty()).then_some(external_id),
                owner_id,
                segment,
                arr,
                start_date,
                end_date,
                renewal_date,
                cadence_days,
                cohorts,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> AccountForm {
        AccountForm {
            name: " Northwind Traders ".into(),
            segment: "SMB".into(),
            arr: "$12,500".into(),
            start_date: "2025-03-01".into(),
            cohorts: "pilot, beta ,pilot,".into(),
            ..AccountForm::default()
        }
    }

    #[test]
    fn a_valid_account_is_normalised() {
        let fields = form().validate().expect("valid");
        assert_eq!(fields.name, "Northwind Traders");
        assert_eq!(fields.arr, 12_500);
        assert_eq!(fields.cohorts, ["beta", "pilot"]);
        assert_eq!(
            (fields.owner_id, fields.cadence_days, fields.external_id),
            (None, None, None)
        );
    }

    #[test]
    fn every_bad_field_is_reported() {
        let bad = AccountForm {
            name: String::new(),
            owner_id: "someone".into(),
            arr: "-5".into(),
            start_date: "2025-03-01".into(),
            end_date: "2025-02-01".into(),
            cadence_days: "0".into(),
            ..form()
        };
        let fields: Vec<String> = bad
            .validate()
            .expect_err("invalid input")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["name", "owner_id", "arr", "end_date", "cadence_days"]
        );
    }
}
