//! Server functions for reviews. Changes answer with the review page's address, with `saved` set
//! to the new revision.
// `record_review` takes one argument per form field, as the form (with or without JavaScript)
// posts them; the `server` macro does not carry an `allow` on the function to its client stub.
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
use super::model::RecordForm;
use super::model::{AssessmentInput, ReviewContext};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
fn saved_location(saved: super::service::Saved) -> String {
    format!("/reviews/{}?saved={}", saved.id, saved.revision)
}

/// What the review pages show: the review of `review_id`, or a new review of `account_id`.
#[server(input = Json)]
pub async fn get_review_context(
    account_id: i64,
    review_id: Option<i64>,
) -> Result<ReviewContext, AppError> {
    use super::{db, model, status};
    let user = crate::auth::authorize(crate::users::model::Permission::ReadAccounts)?;
    let db_handle = crate::db::use_db()?;
    let mut conn = db_handle.read.acquire().await?;
    let review = match review_id {
        Some(id) => Some(
            db::find(&mut conn, id)
                .await?
                .ok_or_else(|| AppError::NotFound("review".into()))?,
        ),
        None => None,
    };
    let account_id = review.as_ref().map_or(account_id, |r| r.account_id);
    let account = crate::accounts::db::find(&db_handle.read, account_id)
        .await?
        .ok_or_else(|| AppError::NotFound("account".into()))?;
    let can_record =
        !user.via_token && crate::auth::may_record_reviews(&mut conn, &user, account_id).await?;
    let today = chrono::Utc::now().date_naive();
    let rules = crate::settings::db::rules(&mut conn).await?;
    // The standing without this review, so that the form proposes what the cadence asks for.
    let others: Vec<_> = db::for_account(&db_handle.read, account_id)
        .await?
        .into_iter()
        .filter(|r| Some(r.id) != review_id)
        .collect();
    let last = model::last_counting(&others, today).and_then(|r| r.held_on);
    let standing = status::standing(
        account.start_date,
        account.cadence_days,
        rules.grace_days,
        last,
        today,
    );
    let (contacts, users) = db::attendee_options(&mut conn, account_id, review_id, user.id).await?;
    let held_on = review.as_ref().and_then(|r| r.held_on).unwrap_or(today);
    let draft = if can_record {
        db::draft(&mut conn, user.id, account_id, review_id.unwrap_or(0)).await?
    } else {
        None
    };
    Ok(ReviewContext {
        as_of: today,
        account_id,
        account_name: account.name,
        outcomes: db::assessable_outcomes(&mut conn, account_id, held_on, review_id).await?,
        revisions: match review_id {
            Some(id) => {
                crate::revisions::db::after(&mut conn, crate::revisions::db::History::Review, id, 0)
                    .await?
            }
            None => Vec::new(),
        },
        review,
        contacts,
        users,
        proposed_date: status::proposed_date(&standing, rules.grace_days, today),
        executive_flag: model::executive_flag(&others, today),
        draft,
        draft_key: format!(
            "keystone:review-draft:{}:{account_id}:{}",
            user.id,
            review_id.unwrap_or(0)
        ),
        user_id: user.id,
        can_record,
    })
}

/// Plans a review of account `account_id` on `scheduled_on`.
#[server]
pub async fn schedule_review(account_id: i64, scheduled_on: String) -> Result<String, AppError> {
    let db = crate::db::use_db()?;
    super::service::schedule(&db, account_id, &scheduled_on)
        .await
        .map(saved_location)
}

/// Records a held review: a new one of account `account_id`, or review `review_id` (scheduled, or
/// held and being edited) from revision `base_revision`.
#[server]
pub async fn record_review(
    account_id: i64,
    review_id: Option<i64>,
    base_revision: Option<i64>,
    #[server(default)] held_on: String,
    #[server(default)] attendees: Vec<String>,
    #[server(default)] new_contact_name: String,
    #[server(default)] new_contact_role: String,
    #[server(default)] notes: String,
    #[server(default)] assessments: Vec<AssessmentInput>,
    #[server(default)] reason: String,
) -> Result<String, AppError> {
    use super::service::{record, Target};
    let db = crate::db::use_db()?;
    let target = match (review_id, base_revision) {
        (Some(id), Some(base_revision)) => Target::Existing { id, base_revision },
        (Some(_), None) => return Err(AppError::invalid("base_revision", "is required")),
        (None, _) => Target::New { account_id },
    };
    let form = RecordForm {
        held_on,
        attendees,
        new_contact_name,
        new_contact_role,
        notes,
        assessments,
        reason,
    };
    record(&db, target, form).await.map(saved_location)
}

/// Cancels scheduled review `review_id`, with a reason.
#[server]
pub async fn cancel_review(
    review_id: i64,
    base_revision: i64,
    reason: String,
) -> Result<String, AppError> {
    let db = crate::db::use_db()?;
    super::service::cancel(&db, review_id, base_revision, &reason)
        .await
        .map(saved_location)
}

/// Keeps the signed-in user's draft of a review form; answers when it was saved.
#[server(input = Json)]
pub async fn save_review_draft(
    account_id: i64,
    review_id: i64,
    values: Vec<(String, String)>,
) -> Result<String, AppError> {
    let db = crate::db::use_db()?;
    super::service::save_draft(&db, account_id, review_id, values).await
}

/// Drops the signed-in user's draft of a review form.
#[server(input = Json)]
pub async fn discard_review_draft(account_id: i64, review_id: i64) -> Result<(), AppError> {
    let db = crate::db::use_db()?;
    super::service::discard_draft(&db, account_id, review_id).await
}
