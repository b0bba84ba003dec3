//! Changing outcomes (server only): the one path for every create, edit, renewal and retirement,
//! used by the pages' server functions. Each change is authorised against the account's owner,
//! refused if based on an older revision, validated, and written together with its revision and
//! its audit event in one transaction.

use super::{
    db,
    model::{check_reason, parse_date, Outcome, OutcomeFields, OutcomeForm, OutcomeStatus},
};
use crate::revisions::db::{self as revisions, History};
use crate::{
    audit::model::Actor,
    auth::authorize_account_content,
    components::format,
    db::{now_timestamp, Db},
    error::{AppError, AppResult, FieldError},
    revisions::model::{diff, Change, Changes},
};
use chrono::NaiveDate;
use serde_json::json;

/// A saved change: the outcome and its revision now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Saved {
    /// The outcome's id.
    pub id: i64,
    /// Its revision after the change.
    pub revision: i64,
}

/// Creates an outcome of account `account_id` (revision 1). The reason defaults to "Created".
pub async fn create(db: &Db, account_id: i64, form: OutcomeForm) -> AppResult<Saved> {
    let mut tx = db.begin_write().await?;
    tx.changes_account(account_id);
    let user = authorize_account_content(&mut tx, account_id).await?;
    let mut errors = Vec::new();
    let reason = match form.reason.trim() {
        "" => "Created".to_string(),
        given => check_reason(&mut errors, given),
    };
    let fields = form.validate().map_err(|mut more| {
        more.append(&mut errors);
        AppError::Validation(more)
    })?;
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = now_timestamp();
    let id = db::insert(&mut tx, account_id, &fields, &now).await?;
    let changes = diff(None, &fields.values());
    revisions::insert(
        &mut tx,
        History::Outcome,
        id,
        1,
        Some(user.id),
        &reason,
        &changes,
        &now,
    )
    .await?;
    audit(
        &mut tx,
        &user,
        "outcome.created",
        (id, account_id),
        1,
        &reason,
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(Saved { id, revision: 1 })
}

/// Replaces the editable fields of outcome `id`.
pub async fn edit(db: &Db, id: i64, base_revision: i64, form: OutcomeForm) -> AppResult<Saved> {
    let reason = form.reason.clone();
    change(db, id, base_revision, &reason, "outcome.updated", |_| {
        form.validate().map(Edit::Fields)
    })
    .await
}

/// Moves the expiry of outcome `id` later: one action, with a reason.
pub async fn renew(
    db: &Db,
    id: i64,
    base_revision: i64,
    expires_on: &str,
    reason: &str,
) -> AppResult<Saved> {
    change(
        db,
        id,
        base_revision,
        reason,
        "outcome.renewed",
        |outcome| {
            let mut errors = Vec::new();
            let day = parse_date(&mut errors, "expires_on", expires_on);
            if expires_on.trim().is_empty() {
                errors.push(FieldError::new("expires_on", "is required"));
            }
            if outcome.retired_on.is_some() {
                errors.push(FieldError::new(
                    "expires_on",
                    "a retired outcome cannot be renewed; add a new outcome instead",
                ));
            }
            match day {
                Some(day) if day <= outcome.expires_on => errors.push(FieldError::new(
                    "expires_on",
                    format!(
                        "must be later than the current expiry, {}",
                        format::date(outcome.expires_on)
                    ),
                )),
                _ => {}
            }
            match day {
                Some(expires_on) if errors.is_empty() => Ok(Edit::Fields(OutcomeFields {
                    expires_on,
                    ..OutcomeFields::of(outcome)
                })),
                _ => Err(errors),
            }
        },
    )
    .await
}

/// Retires outcome `id` on `retired_on` (today when empty): it stops being current that day.
pub async fn retire(
    db: &Db,
    id: i64,
    base_revision: i64,
    retired_on: &str,
    reason: &str,
) -> AppResult<Saved> {
    change(
        db,
        id,
        base_revision,
        reason,
        "outcome.retired",
        |outcome| {
            let mut errors = Vec::new();
            let day = parse_date(&mut errors, "retired_on", retired_on).or_else(|| {
                retired_on
                    .trim()
                    .is_empty()
                    .then(|| chrono::Utc::now().date_naive())
            });
            if let Some(already) = outcome.retired_on {
                errors.push(FieldError::new(
                    "retired_on",
                    format!(
                        "the outcome was already retired on {}",
                        format::date(already)
                    ),
                ));
            }
            match day {
                Some(day) if day < outcome.valid_from => errors.push(FieldError::new(
                    "retired_on",
                    "must not be before the outcome's start date",
                )),
                _ => {}
            }
            match day {
                Some(day) if errors.is_empty() => Ok(Edit::RetiredOn(day)),
                _ => Err(errors),
            }
        },
    )
    .await
}

/// Sets the status of outcome `id` as assessed in a review, inside the review's transaction
/// (`user` was authorised for the review's account): one revision whose reason names the review,
/// also when the status stays the same, since being assessed keeps an outcome fresh.
pub async fn assess(
    conn: &mut sqlx::SqliteConnection,
    user: &crate::users::model::CurrentUser,
    id: i64,
    status: OutcomeStatus,
    reason: &str,
    now: &str,
) -> AppResult<()> {
    let outcome = db::find(conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound("outcome".into()))?;
    let old = OutcomeFields::of(&outcome);
    let new = OutcomeFields {
        status,
        ..old.clone()
    };
    let changes = diff(Some(&old.values()), &new.values());
    if !db::update(conn, id, outcome.revision, &new, now).await? {
        tracing::error!(outcome = id, "outcome changed under a write transaction");
        return Err(AppError::Internal);
    }
    let revision = outcome.revision + 1;
    revisions::insert(
        conn,
        History::Outcome,
        id,
        revision,
        Some(user.id),
        reason,
        &changes,
        now,
    )
    .await?;
    audit(
        conn,
        user,
        "outcome.assessed",
        (id, outcome.account_id),
        revision,
        reason,
        &changes,
    )
    .await
}

/// What a change does to an outcome.
enum Edit {
    Fields(OutcomeFields),
    RetiredOn(NaiveDate),
}

/// The shared path of every change to an existing outcome.
async fn change(
    db: &Db,
    id: i64,
    base_revision: i64,
    reason: &str,
    action: &str,
    make: impl FnOnce(&Outcome) -> Result<Edit, Vec<FieldError>>,
) -> AppResult<Saved> {
    let mut tx = db.begin_write().await?;
    let outcome = db::find(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("outcome".into()))?;
    tx.changes_account(outcome.account_id);
    let user = authorize_account_content(&mut tx, outcome.account_id).await?;
    if outcome.revision != base_revision {
        return Err(AppError::Stale {
            current_revision: outcome.revision,
            since: revisions::after(&mut tx, History::Outcome, id, base_revision).await?,
        });
    }
    let mut errors = Vec::new();
    let edit = make(&outcome);
    let reason = check_reason(&mut errors, reason);
    let edit = match edit {
        Ok(edit) if errors.is_empty() => edit,
        Ok(_) => return Err(AppError::Validation(errors)),
        Err(mut more) => {
            more.append(&mut errors);
            return Err(AppError::Validation(more));
        }
    };
    let changes = match &edit {
        Edit::Fields(fields) => diff(
            Some(&OutcomeFields::of(&outcome).values()),
            &fields.values(),
        ),
        Edit::RetiredOn(day) => Changes::from([(
            "retired_on".to_string(),
            Change {
                old: json!(outcome.retired_on),
                new: json!(day),
            },
        )]),
    };
    if changes.is_empty() {
        return Err(AppError::invalid(
            "form",
            "nothing was changed; edit a field before saving",
        ));
    }
    let now = now_timestamp();
    let written = match &edit {
        Edit::Fields(fields) => db::update(&mut tx, id, base_revision, fields, &now).await?,
        Edit::RetiredOn(day) => {
            db::set_retired_on(&mut tx, id, base_revision, Some(*day), &now).await?
        }
    };
    if !written {
        // The write lock is held since the read, so this means a bug, not a race.
        tracing::error!(outcome = id, "outcome changed under a write transaction");
        return Err(AppError::Internal);
    }
    let revision = base_revision + 1;
    revisions::insert(
        &mut tx,
        History::Outcome,
        id,
        revision,
        Some(user.id),
        &reason,
        &changes,
        &now,
    )
    .await?;
    audit(
        &mut tx,
        &user,
        action,
        (id, outcome.account_id),
        revision,
        &reason,
        &changes,
    )
    .await?;
    tx.commit().await?;
    Ok(Saved { id, revision })
}

/// Records the change of outcome `(id, account_id)` in the audit log.
async fn audit(
    conn: &mut sqlx::SqliteConnection,
    user: &crate::users::model::CurrentUser,
    action: &str,
    (id, account_id): (i64, i64),
    revision: i64,
    reason: &str,
    changes: &Changes,
) -> AppResult<()> {
    crate::audit::db::record(
        conn,
        &Actor::of(user),
        action,
        ("outcome", Some(&id.to_string())),
        &json!({
            "account_id": account_id,
            "revision": revision,
            "reason": reason,
            "changes": changes,
        }),
    )
    .await
}
