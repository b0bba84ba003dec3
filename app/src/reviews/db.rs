//! SQL for Business Outcome Reviews (server only).

use super::model::ReviewSummary;
use crate::accounts::model::ContactRole;
use crate::error::AppResult;
use chrono::NaiveDate;
use sqlx::{FromRow, SqlitePool};
use std::collections::HashSet;

#[derive(FromRow)]
struct ReviewRow {
    id: i64,
    scheduled_on: Option<NaiveDate>,
    held_on: Option<NaiveDate>,
    cancelled: bool,
    assessments: i64,
    attendees: i64,
}

/// The account's reviews, latest first, with who attended summarised.
pub async fn for_account(pool: &SqlitePool, account_id: i64) -> AppResult<Vec<ReviewSummary>> {
    let rows: Vec<ReviewRow> = sqlx::query_as(
        "SELECT r.id, r.scheduled_on, r.held_on, r.cancelled_at IS NOT NULL AS cancelled, \
                (SELECT count(*) FROM assessments x WHERE x.review_id = r.id) AS assessments, \
                (SELECT count(*) FROM review_attendees ra WHERE ra.review_id = r.id) AS attendees \
         FROM reviews r WHERE r.account_id = ? \
         ORDER BY coalesce(r.held_on, r.scheduled_on) DESC, r.id DESC",
    )
    .bind(account_id)
    .fetch_all(pool)
    .await?;

    // Contact roles of the attendees, so that "executive present" is decided by the one rule in
    // `ContactRole::is_executive` rather than restated in SQL.
    let attendee_roles: Vec<(i64, ContactRole)> = sqlx::query_as(
        "SELECT ra.review_id, c.role FROM review_attendees ra \
         JOIN reviews r ON r.id = ra.review_id \
         JOIN contacts c ON c.id = ra.contact_id \
         WHERE r.account_id = ?",
    )
    .bind(account_id)
    .fetch_all(pool)
    .await?;
    let with_executive: HashSet<i64> = attendee_roles
        .into_iter()
        .filter(|(_, role)| role.is_executive())
        .map(|(review_id, _)| review_id)
        .collect();

    Ok(rows
        .into_iter()
        .map(|row| ReviewSummary {
            executive_present: with_executive.contains(&row.id),
            id: row.id,
            scheduled_on: row.scheduled_on,
            held_on: row.held_on,
            cancelled: row.cancelled,
            assessments: row.assessments,
            attendees: row.attendees,
        })
        .collect())
}
