//! Server functions for outcomes. Changes answer with the outcome page's address (a form then goes
//! there), with `saved` set to the new revision so that the page shows it and reloads.

use super::model::{OutcomeDetail, OutcomeForm};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
fn saved_location(saved: super::service::Saved) -> String {
    format!("/outcomes/{}?saved={}", saved.id, saved.revision)
}

/// Everything the outcome page shows: the outcome, its account's name and its history.
#[server(input = Json)]
pub async fn get_outcome(id: i64) -> Result<OutcomeDetail, AppError> {
    let user = crate::auth::authorize(crate::users::model::Permission::ReadAccounts)?;
    let db = crate::db::use_db()?;
    let mut conn = db.read.acquire().await?;
    let outcome = super::db::find(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound("outcome".into()))?;
    let account = crate::accounts::db::find(&db.read, outcome.account_id)
        .await?
        .ok_or_else(|| AppError::NotFound("account".into()))?;
    Ok(OutcomeDetail {
        as_of: chrono::Utc::now().date_naive(),
        can_edit: user.may_edit_account_content(account.owner_id),
        account_name: account.name,
        revisions: crate::revisions::db::after(
            &mut conn,
            crate::revisions::db::History::Outcome,
            id,
            0,
        )
        .await?,
        outcome,
    })
}

/// Adds an outcome to account `account_id`.
#[server]
pub async fn create_outcome(
    account_id: i64,
    #[server(flatten)] form: OutcomeForm,
) -> Result<String, AppError> {
    let db = crate::db::use_db()?;
    super::service::create(&db, account_id, form)
        .await
        .map(saved_location)
}

/// Saves an edit of outcome `outcome_id` made from revision `base_revision`.
#[server]
pub async fn edit_outcome(
    outcome_id: i64,
    base_revision: i64,
    #[server(flatten)] form: OutcomeForm,
) -> Result<String, AppError> {
    let db = crate::db::use_db()?;
    super::service::edit(&db, outcome_id, base_revision, form)
        .await
        .map(saved_location)
}

/// Renews outcome `outcome_id`: a later expiry, with a reason.
#[server]
pub async fn renew_outcome(
    outcome_id: i64,
    base_revision: i64,
    expires_on: String,
    reason: String,
) -> Result<String, AppError> {
    let db = crate::db::use_db()?;
    super::service::renew(&db, outcome_id, base_revision, &expires_on, &reason)
        .await
        .map(saved_location)
}

/// Retires outcome `outcome_id` on `retired_on` (today when empty), with a reason.
#[server]
pub async fn retire_outcome(
    outcome_id: i64,
    base_revision: i64,
    retired_on: String,
    reason: String,
) -> Result<String, AppError> {
    let db = crate::db::use_db()?;
    super::service::retire(&db, outcome_id, base_revision, &retired_on, &reason)
        .await
        .map(saved_location)
}
