//! Business Outcome Reviews: types shared by server and browser, and the `counts` rule.

use crate::outcomes::model::OutcomeStatus;
use crate::revisions::model::Revision;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A review as the account page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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

/// Whether a review counts (DESIGN.md): held, and at least one outcome assessed. An executive's
/// attendance is not required.
pub fn counts(held_on: Option<NaiveDate>, assessments: usize) -> bool {
    held_on.is_some() && assessments > 0
}

impl ReviewSummary {
    /// Whether the review counts.
    pub fn counts(&self) -> bool {
        counts(self.held_on, usize::try_from(self.assessments).unwrap_or(0))
    }
}

/// The latest counting review held on or before `on`, among `reviews` (any order).
pub fn last_counting(reviews: &[ReviewSummary], on: NaiveDate) -> Option<&ReviewSummary> {
    reviews
        .iter()
        .filter(|r| r.counts() && r.held_on.is_some_and(|held| held <= on))
        .max_by_key(|r| (r.held_on, r.id))
}

/// The "build the executive relationship" flag: the date of the latest counting review held on or
/// before `on` when no executive attended it. It stays until a counting review has one.
pub fn executive_flag(reviews: &[ReviewSummary], on: NaiveDate) -> Option<NaiveDate> {
    last_counting(reviews, on)
        .filter(|r| !r.executive_present)
        .and_then(|r| r.held_on)
}

/// Who attended a review: a contact of the account or an internal user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttendeeKind {
    /// A person at the customer.
    Contact,
    /// A Keystone user (the CSM, a leader, a pilot team member...).
    User,
}

/// One attendee of a review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    /// Contact or user.
    pub kind: AttendeeKind,
    /// The contact's or the user's id.
    pub id: i64,
    /// Their name.
    pub name: String,
    /// The contact's role (`decision_maker`...) or the user's role (`csm`...).
    pub role: String,
}

impl Attendee {
    /// The value of the attendee checkbox that picks this person (`contact:12`, `user:3`).
    pub fn key(&self) -> String {
        attendee_key(self.kind, self.id)
    }

    /// Whether this attendee is a customer executive.
    pub fn is_executive(&self) -> bool {
        self.kind == AttendeeKind::Contact
            && crate::accounts::model::ContactRole::parse(&self.role)
                .is_some_and(|role| role.is_executive())
    }
}

/// The value of an attendee checkbox.
pub fn attendee_key(kind: AttendeeKind, id: i64) -> String {
    match kind {
        AttendeeKind::Contact => format!("contact:{id}"),
        AttendeeKind::User => format!("user:{id}"),
    }
}

/// Reads an attendee checkbox value back.
pub fn parse_attendee_key(key: &str) -> Option<(AttendeeKind, i64)> {
    let (kind, id) = key.split_once(':')?;
    let kind = match kind {
        "contact" => AttendeeKind::Contact,
        "user" => AttendeeKind::User,
        _ => return None,
    };
    Some((kind, id.parse().ok()?))
}

/// The assessment of one outcome in a review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// The outcome assessed.
    pub outcome_id: i64,
    /// How it is going.
    pub status: OutcomeStatus,
    /// Why, in the reviewer's words.
    pub comment: String,
}

/// A Business Outcome Review, as the API and the review page show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// Keystone's id.
    pub id: i64,
    /// The account reviewed.
    pub account_id: i64,
    /// The date it was planned for.
    pub scheduled_on: Option<NaiveDate>,
    /// The date it took place, once held.
    pub held_on: Option<NaiveDate>,
    /// Whether it was cancelled.
    pub cancelled: bool,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
    /// Whether it counts for the keystone (held, with an outcome assessed).
    pub counts: bool,
    /// Whether a decision maker or executive sponsor attended.
    pub executive_present: bool,
    /// Who attended.
    pub attendees: Vec<Attendee>,
    /// One per outcome discussed.
    pub assessments: Vec<Assessment>,
    /// The notes, as typed (paragraphs separated by blank lines).
    pub notes: String,
    /// Latest revision number.
    pub revision: i64,
}

impl Review {
    /// Where the review stands, in words.
    pub fn state_label(&self) -> &'static str {
        match (self.cancelled, self.held_on, self.counts) {
            (true, _, _) => "Cancelled",
            (false, None, _) => "Scheduled",
            (false, Some(_), true) => "Held · counts",
            (false, Some(_), false) => "Held · does not count",
        }
    }
}

/// One page of reviews, as `GET /api/v1/reviews` answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewPage {
    /// The reviews, by date.
    pub items: Vec<Review>,
    /// How many match in all.
    pub total: i64,
}

/// An outcome that can be assessed in a review.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AssessableOutcome {
    /// The outcome's id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its status now.
    pub status: OutcomeStatus,
}

/// A saved, unsent review form: the values as typed, by field name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// Field name and value, in form order (checkboxes once per ticked box).
    pub values: Vec<(String, String)>,
    /// When it was saved (RFC 3339, UTC).
    pub saved_at: String,
}

impl Draft {
    /// The value typed into `field`, if any.
    pub fn value(&self, field: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, value)| value.as_str())
    }

    /// Whether a checkbox `field` with `value` was ticked.
    pub fn ticked(&self, field: &str, value: &str) -> bool {
        self.values
            .iter()
            .any(|(name, v)| name == field && v == value)
    }
}

/// Everything the review pages need: the account, the review (none for a new one), who and what
/// can be picked, the proposed date, and a draft to restore.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewContext {
    /// The server's today.
    pub as_of: NaiveDate,
    /// The account's id.
    pub account_id: i64,
    /// The account's name.
    pub account_name: String,
    /// The review, when one exists.
    pub review: Option<Review>,
    /// Contacts of the account that can attend (and archived ones who attended this review).
    pub contacts: Vec<Attendee>,
    /// Internal users that can attend.
    pub users: Vec<Attendee>,
    /// Outcomes that can be assessed: current today, or assessed in this review.
    pub outcomes: Vec<AssessableOutcome>,
    /// The date the cadence calls for the next review.
    pub proposed_date: NaiveDate,
    /// The latest counting review without an executive, if the flag stands.
    pub executive_flag: Option<NaiveDate>,
    /// The signed-in user's saved draft of this form, if any.
    pub draft: Option<Draft>,
    /// Where the browser keeps its copy of the draft (per user, account and review).
    pub draft_key: String,
    /// The signed-in user, ticked as an attendee of a new review.
    pub user_id: i64,
    /// Whether the signed-in user may schedule, record and edit reviews of this account.
    pub can_record: bool,
    /// The review's history, newest first.
    pub revisions: Vec<Revision>,
}

/// Longest notes accepted, in characters (pilot teams write a lot).
pub const NOTES_MAX: usize = 50_000;
/// Longest assessment comment accepted.
pub const COMMENT_MAX: usize = 2_000;

/// One assessment row of the review form, as typed: an empty status means "not discussed".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AssessmentInput {
    /// The outcome's id.
    #[serde(default)]
    pub outcome_id: String,
    /// `on_track`, `at_risk`, `off_track`, `achieved`, or empty.
    #[serde(default)]
    pub status: String,
    /// The comment.
    #[serde(default)]
    pub comment: String,
}

/// The held-review form as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordForm {
    /// The day it was held (`YYYY-MM-DD`).
    #[serde(default)]
    pub held_on: String,
    /// Ticked attendees (`contact:ID`, `user:ID`).
    #[serde(default)]
    pub attendees: Vec<String>,
    /// A new contact to add and mark as attending: name (empty for none).
    #[serde(default)]
    pub new_contact_name: String,
    /// The new contact's role.
    #[serde(default)]
    pub new_contact_role: String,
    /// The notes.
    #[serde(default)]
    pub notes: String,
    /// One row per outcome offered.
    #[serde(default)]
    pub assessments: Vec<AssessmentInput>,
    /// Why the review is changed (required when editing a held review).
    #[serde(default)]
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    fn review(id: i64, held_on: Option<&str>, assessments: i64, executive: bool) -> ReviewSummary {
        ReviewSummary {
            id,
            scheduled_on: Some(day("2026-01-10")),
            held_on: held_on.map(day),
            cancelled: false,
            assessments,
            attendees: 2,
            executive_present: executive,
        }
    }

    #[test]
    fn a_held_review_that_assessed_an_outcome_counts_even_without_an_executive() {
        assert!(review(1, Some("2026-01-12"), 1, false).counts());
    }

    #[test]
    fn a_review_that_assessed_nothing_or_was_not_held_does_not_count() {
        assert!(!review(1, Some("2026-01-12"), 0, true).counts());
        assert!(!review(1, None, 3, true).counts());
    }

    #[test]
    fn the_last_counting_review_skips_cancelled_scheduled_empty_and_later_ones() {
        let cancelled = ReviewSummary {
            cancelled: true,
            ..review(4, None, 0, false)
        };
        let reviews = [
            review(1, Some("2026-03-01"), 2, true),
            review(2, Some("2026-06-01"), 0, true), // assessed nothing
            review(3, None, 0, false),              // only scheduled
            cancelled,
            review(5, Some("2026-12-20"), 1, true), // after the day
        ];
        let last = last_counting(&reviews, day("2026-12-04")).expect("one counts");
        assert_eq!(last.id, 1);
        assert_eq!(last_counting(&reviews, day("2026-02-28")), None);
    }

    #[test]
    fn the_executive_flag_stands_until_a_counting_review_has_an_executive() {
        let without = review(1, Some("2026-03-01"), 1, false);
        assert_eq!(
            executive_flag(std::slice::from_ref(&without), day("2026-12-04")),
            Some(day("2026-03-01"))
        );
        let with = review(2, Some("2026-06-01"), 1, true);
        assert_eq!(
            executive_flag(&[without.clone(), with], day("2026-12-04")),
            None
        );
        // A later review that did not count does not clear it.
        let empty = review(3, Some("2026-07-01"), 0, true);
        assert_eq!(
            executive_flag(&[without, empty], day("2026-12-04")),
            Some(day("2026-03-01"))
        );
    }

    #[test]
    fn attendee_keys_round_trip_and_refuse_anything_else() {
        assert_eq!(attendee_key(AttendeeKind::Contact, 12), "contact:12");
        assert_eq!(parse_attendee_key("user:3"), Some((AttendeeKind::User, 3)));
        assert_eq!(parse_attendee_key("contact:x"), None);
        assert_eq!(parse_attendee_key("admin:1"), None);
        assert_eq!(parse_attendee_key("12"), None);
    }
}
