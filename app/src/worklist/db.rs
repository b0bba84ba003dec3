//! Reading what the worklist rules need for one owner's accounts (server only).

use super::model::{build, AccountFacts, Links, OutcomeFacts, ReviewFacts, Scope, WorkGroupItems};
use crate::error::AppResult;
use crate::reviews::db::{executive_present, COUNTING};
use crate::settings::Rules;
use chrono::NaiveDate;
use sqlx::SqliteConnection;

/// The worklist groups of the accounts of `scope` that are active on `on`.
pub async fn groups(
    conn: &mut SqliteConnection,
    scope: &Scope,
    rules: &Rules,
    on: NaiveDate,
) -> AppResult<Vec<WorkGroupItems>> {
    // Each query binds the scope first: an owner's id or a cohort's name, as text.
    let (within, who) = match scope {
        Scope::Owner(id) => ("a.owner_id = CAST(? AS INTEGER)", id.to_string()),
        Scope::Cohort(name) => (
            "a.id IN (SELECT ac.account_id FROM account_cohorts ac \
                      JOIN cohorts c ON c.id = ac.cohort_id WHERE c.name = ?)",
            name.clone(),
        ),
    };
    let active =
        format!("{within} AND a.start_date <= ? AND (a.end_date IS NULL OR a.end_date > ?)");
    let who = who.as_str();
    let accounts: Vec<AccountFacts> = sqlx::query_as(&format!(
        "SELECT a.id, a.name, a.arr, a.start_date, a.renewal_date, \
                coalesce(a.cadence_days, s.cadence_days) AS cadence_days \
         FROM accounts a JOIN segments s ON s.name = a.segment WHERE {active}"
    ))
    .bind(who)
    .bind(on)
    .bind(on)
    .fetch_all(&mut *conn)
    .await?;
    // Every outcome (onboarding looks back), touched by its last revision or counting assessment.
    let outcomes: Vec<OutcomeFacts> = sqlx::query_as(&format!(
        "SELECT o.id, o.account_id, o.title, o.valid_from, o.expires_on, o.retired_on, o.status, \
                max(substr(o.updated_at, 1, 10), \
                    coalesce((SELECT max(r.held_on) FROM assessments x \
                              JOIN reviews r ON r.id = x.review_id \
                              WHERE x.outcome_id = o.id AND r.held_on <= ? \
                                AND r.cancelled_at IS NULL), '')) AS touched_on \
         FROM outcomes o JOIN accounts a ON a.id = o.account_id WHERE {active}"
    ))
    .bind(on)
    .bind(who)
    .bind(on)
    .bind(on)
    .fetch_all(&mut *conn)
    .await?;
    let reviews: Vec<ReviewFacts> = sqlx::query_as(&format!(
        "SELECT r.account_id, r.id, r.held_on, \
                {} AS executive_present \
         FROM reviews r JOIN accounts a ON a.id = r.account_id \
         WHERE {active} AND r.held_on <= ? AND {COUNTING}",
        executive_present()
    ))
    .bind(who)
    .bind(on)
    .bind(on)
    .bind(on)
    .fetch_all(&mut *conn)
    .await?;
    let scheduled: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT r.account_id, min(r.id) FROM reviews r JOIN accounts a ON a.id = r.account_id \
         WHERE {active} AND r.held_on IS NULL AND r.cancelled_at IS NULL GROUP BY r.account_id"
    ))
    .bind(who)
    .bind(on)
    .bind(on)
    .fetch_all(&mut *conn)
    .await?;
    let links = Links {
        scheduled: scheduled.into_iter().collect(),
    };
    Ok(build(on, rules, &accounts, &outcomes, &reviews, &links))
}
