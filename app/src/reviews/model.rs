//! Business Outcome Reviews: types shared by server and browser.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A review as the account page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ReviewSummary {
    /// Keystone's id.
    pub id: i64,
    /// The date it was planned for.
    pub scheduled_on: Option<NaiveDate>,
    /// The date it took place, once held.
    pub held_on: Option<NaiveDate>,
    /// Whether it was cancelled.
    pub cancelled: bool,
    /// How many outcomes were assessed in it.
    pub assessments: i64,
    /// How many people attended.
    pub attendees: i64,
    /// Whether a decision maker or executive sponsor attended.
    pub executive_present: bool,
}

impl ReviewSummary {
    /// Whether the review counts (DESIGN.md): held, and at least one outcome assessed.
    pub fn counts(&self) -> bool {
        self.held_on.is_some() && self.assessments > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(held_on: Option<&str>, assessments: i64) -> ReviewSummary {
        ReviewSummary {
            id: 1,
            scheduled_on: Some("2026-01-10".parse().expect("date")),
            held_on: held_on.map(|d| d.parse().expect("date")),
            cancelled: false,
            assessments,
            attendees: 2,
            executive_present: false,
        }
    }

    #[test]
    fn a_held_review_that_assessed_an_outcome_counts_even_without_an_executive() {
        assert!(review(Some("2026-01-12"), 1).counts());
    }

    #[test]
    fn a_review_that_assessed_nothing_or_was_not_held_does_not_count() {
        assert!(!review(Some("2026-01-12"), 0).counts());
        assert!(!review(None, 3).counts());
    }
}
