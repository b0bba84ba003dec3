//! Changing reviews (server only): schedule, record (or edit) a held review, cancel. Each change
//! is authorised (the owner CSM, an admin, or a pilot user on a pilot account), refused if based on
//! an older revision, validated, and written with its numbered revision, the outcome revisions its
//! assessments make, and its audit event, in one transaction. Nothing is ever deleted.

use super::db::{self, ReviewUpdate};
use super::model::{
    parse_attendee_key, Assessment, AttendeeKind, RecordForm, Review, COMMENT_MAX, NOTES_MAX,
};
use crate::revisions::db::{self as revisions, History};
use crate::{
    accounts::model::ContactRole,
    audit::model::Actor,
    auth::authorize_review_entry,
    components::format,
    contacts::model::ContactForm,
    db::{now_timestamp, Db},
    error::{checked_text, AppError, AppResult, FieldError},
    outcomes::model::{check_reason, parse_date, OutcomeStatus},
    revisions::model::{diff, Changes},
    users::model::CurrentUser,
};
use chrono::NaiveDate;
use serde_json::{json, Value};
use sqlx::SqliteConnection;

/// A saved change: the review and its revision now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Saved {
    /// The review's id.
    pub id: i64,
    /// Its revision after the change.
    pub revision: i64,
}

/// Plans a review of account `account_id` on `scheduled_on`.
pub async fn schedule(db: &Db, account_id: i64, scheduled_on: &str) -> AppResult<Saved> {
    let mut tx = db.begin_write().await?;
    tx.changes_account(account_id);
    let user = authorize_review_entry(&mut tx, account_id).await?;
    let mut errors = Vec::new();
    let day = parse_date(&mut errors, "scheduled_on", scheduled_on);
    let day = match day {
        Some(day) if errors.is_empty() => day,
        _ => {
            if scheduled_on.trim().is_empty() {
                errors.push(FieldError::new("scheduled_on", "is required"));
            }
            return Err(AppError::Validation(errors));
        }
    };
    let now = now_timestamp();
    let id = db::insert(&mut tx, account_id, Some(day), None, "", user.id, &now).await?;
    let changes = diff(None, &[("scheduled_on", json!(day))]);
    finish(
        &mut tx,
        &user,
        (id, account_id),
        1,
        "Scheduled",
        &changes,
        "review.scheduled",
    )
    .await?;
    tx.commit().await?;
    Ok(Saved { id, revision: 1 })
}

/// Cancels scheduled review `id`, with a reason.
pub async fn cancel(db: &Db, id: i64, base_revision: i64, reason: &str) -> AppResult<Saved> {
    let mut tx = db.begin_write().await?;
    let (review, user) = open(&mut tx, id, base_revision).await?;
    tx.changes_account(review.account_id);
    let mut errors = Vec::new();
    let reason = check_reason(&mut errors, reason);
    if review.held_on.is_some() {
        errors.push(FieldError::new(
            "reason",
            "a held review cannot be cancelled; edit it instead",
        ));
    }
    if review.cancelled {
        errors.push(FieldError::new("reason", "the review is already cancelled"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = now_timestamp();
    let update = ReviewUpdate {
        scheduled_on: review.scheduled_on,
        held_on: None,
        notes: &review.notes,
        cancelled: Some((&now, &reason)),
    };
    written(
        db::update(&mut tx, id, base_revision, &update, &now).await?,
        id,
    )?;
    let changes = diff(
        Some(&[("cancelled", json!(false))]),
        &[("cancelled", json!(true))],
    );
    let revision = base_revision + 1;
    finish(
        &mut tx,
        &user,
        (id, review.account_id),
        revision,
        &reason,
        &changes,
        "review.cancelled",
    )
    .await?;
    tx.commit().await?;
    Ok(Saved { id, revision })
}

/// Where a held review is recorded: a new review of an account, or an existing review (scheduled
/// or already held) at the revision the form was loaded from.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    /// A review nobody scheduled.
    New {
        /// The account reviewed.
        account_id: i64,
    },
    /// A scheduled review being held, or a held one being edited.
    Existing {
        /// The review.
        id: i64,
        /// The revision the form was loaded from.
        base_revision: i64,
    },
}

/// Records a held review (or edits one): date, attendees (a new contact may be added on the way),
/// notes and assessments. Each assessment sets its outcome's status through an outcome revision
/// naming the review. The user's draft of the form is dropped in the same transaction.
pub async fn record(db: &Db, target: Target, form: RecordForm) -> AppResult<Saved> {
    let mut tx = db.begin_write().await?;
    let (existing, account_id, user) = match target {
        Target::New { account_id } => {
            let user = authorize_review_entry(&mut tx, account_id).await?;
            (None, account_id, user)
        }
        Target::Existing { id, base_revision } => {
            let (review, user) = open(&mut tx, id, base_revision).await?;
            if review.cancelled {
                return Err(AppError::invalid(
                    "form",
                    "the review was cancelled; schedule or record a new one",
                ));
            }
            let account_id = review.account_id;
            (Some(review), account_id, user)
        }
    };
    tx.changes_account(account_id);
    let editing_held = existing.as_ref().is_some_and(|r| r.held_on.is_some());
    let checked = check(
        &mut tx,
        user.id,
        account_id,
        existing.as_ref(),
        &form,
        editing_held,
    )
    .await?;

    let now = now_timestamp();
    let mut attendees = checked.attendees.clone();
    if let Some(contact) = &checked.new_contact {
        let contact_id = crate::contacts::service::add(&mut tx, &user, account_id, contact).await?;
        attendees.push((AttendeeKind::Contact, contact_id));
    }
    let (id, revision) = match &existing {
        None => {
            let id = db::insert(
                &mut tx,
                account_id,
                None,
                Some(checked.held_on),
                &checked.notes,
                user.id,
                &now,
            )
            .await?;
            (id, 1)
        }
        Some(review) => {
            let update = ReviewUpdate {
                scheduled_on: review.scheduled_on,
                held_on: Some(checked.held_on),
                notes: &checked.notes,
                cancelled: None,
            };
            written(
                db::update(&mut tx, review.id, review.revision, &update, &now).await?,
                review.id,
            )?;
            (review.id, review.revision + 1)
        }
    };
    db::set_attendees(&mut tx, id, &attendees).await?;
    db::set_assessments(&mut tx, id, &checked.assessments).await?;

    // Each assessment that is new or changed sets its outcome's status, naming the review.
    let before: Vec<&Assessment> = existing.iter().flat_map(|r| r.assessments.iter()).collect();
    for assessment in &checked.assessments {
        if before.contains(&assessment) {
            continue;
        }
        let reason = format!(
            "Assessed “{}” in the Business Outcome Review held on {} (review #{id})",
            assessment.status.label(),
            format::date(checked.held_on)
        );
        crate::outcomes::service::assess(
            &mut tx,
            &user,
            assessment.outcome_id,
            assessment.status,
            &reason,
            &now,
        )
        .await?;
    }

    let saved = db::find(&mut tx, id).await?.ok_or(AppError::Internal)?;
    let titles = outcome_titles(&mut tx, account_id).await?;
    let changes = diff(
        existing.as_ref().map(|r| values(r, &titles)).as_deref(),
        &values(&saved, &titles),
    );
    if existing.is_some() && changes.is_empty() {
        return Err(AppError::invalid(
            "form",
            "nothing was changed; edit a field before saving",
        ));
    }
    let (reason, action) = match &existing {
        None => ("Recorded".to_string(), "review.recorded"),
        Some(_) if !editing_held => ("Held".to_string(), "review.recorded"),
        Some(_) => (checked.reason.clone(), "review.updated"),
    };
    finish(
        &mut tx,
        &user,
        (id, account_id),
        revision,
        &reason,
        &changes,
        action,
    )
    .await?;
    let draft_of = existing.as_ref().map_or(0, |r| r.id);
    db::delete_draft(&mut tx, (user.id, account_id, draft_of)).await?;
    tx.commit().await?;
    Ok(Saved { id, revision })
}

/// Reads review `id` for a change: authorised, and still at `base_revision`.
async fn open(
    conn: &mut SqliteConnection,
    id: i64,
    base_revision: i64,
) -> AppResult<(Review, CurrentUser)> {
    let review = db::find(conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound("review".into()))?;
    let user = authorize_review_entry(conn, review.account_id).await?;
    if review.revision != base_revision {
        return Err(AppError::Stale {
            current_revision: review.revision,
            since: revisions::after(conn, History::Review, id, base_revision).await?,
        });
    }
    Ok((review, user))
}

/// The write lock is held since the read, so a lost update means a bug, not a race.
fn written(done: bool, id: i64) -> AppResult<()> {
    if done {
        Ok(())
    } else {
        tracing::error!(review = id, "review changed under a write transaction");
        Err(AppError::Internal)
    }
}

/// A record form, checked.
struct Checked {
    held_on: NaiveDate,
    attendees: Vec<(AttendeeKind, i64)>,
    new_contact: Option<crate::contacts::model::ContactFields>,
    notes: String,
    assessments: Vec<Assessment>,
    reason: String,
}

/// Checks a record form against the account: every problem at once, named by its field.
async fn check(
    conn: &mut SqliteConnection,
    user_id: i64,
    account_id: i64,
    existing: Option<&Review>,
    form: &RecordForm,
    editing_held: bool,
) -> AppResult<Checked> {
    let mut errors = Vec::new();
    let today = chrono::Utc::now().date_naive();
    let held_on = parse_date(&mut errors, "held_on", &form.held_on);
    if form.held_on.trim().is_empty() {
        errors.push(FieldError::new("held_on", "is required"));
    }
    if held_on.is_some_and(|day| day > today) {
        errors.push(FieldError::new(
            "held_on",
            "cannot be in the future; schedule the review instead",
        ));
    }
    // Browsers send line breaks as CRLF; notes keep plain newlines (blank lines split paragraphs).
    let notes = checked_text(
        &mut errors,
        "notes",
        &form.notes.replace("\r\n", "\n"),
        NOTES_MAX,
        false,
    );
    let reason = if editing_held {
        check_reason(&mut errors, &form.reason)
    } else {
        String::new()
    };

    let (contacts, users) =
        db::attendee_options(conn, account_id, existing.map(|r| r.id), user_id).await?;
    let mut attendees = Vec::new();
    for key in &form.attendees {
        let known = parse_attendee_key(key).filter(|(kind, id)| {
            let options = match kind {
                AttendeeKind::Contact => &contacts,
                AttendeeKind::User => &users,
            };
            options.iter().any(|a| a.id == *id)
        });
        match known {
            Some(person) if !attendees.contains(&person) => attendees.push(person),
            Some(_) => {}
            None => errors.push(FieldError::new(
                "attendees",
                "includes someone who is not a contact of this account or a user; reload the page",
            )),
        }
    }
    let new_contact = if form.new_contact_name.trim().is_empty() {
        None
    } else {
        let contact = ContactForm {
            name: form.new_contact_name.clone(),
            role: form.new_contact_role.clone(),
            ..ContactForm::default()
        };
        match contact.validate() {
            Ok(fields) => Some(fields),
            Err(problems) => {
                errors.extend(
                    problems
                        .into_iter()
                        .map(|e| FieldError::new(format!("new_contact_{}", e.field), e.message)),
                );
                None
            }
        }
    };

    let offered = db::assessable_outcomes(
        conn,
        account_id,
        held_on.unwrap_or(today),
        existing.map(|r| r.id),
    )
    .await?;
    let mut assessments: Vec<Assessment> = Vec::new();
    for row in &form.assessments {
        let status = row.status.trim();
        if status.is_empty() {
            if !row.comment.trim().is_empty() {
                errors.push(FieldError::new(
                    "assessments",
                    "a comment needs a status: pick how the outcome is going, or clear the comment",
                ));
            }
            continue;
        }
        let outcome = row
            .outcome_id
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|id| offered.iter().find(|o| o.id == id));
        let Some(outcome) = outcome else {
            errors.push(FieldError::new(
                "assessments",
                "names an outcome that is not current for this account; reload the page",
            ));
            continue;
        };
        let Some(status) = OutcomeStatus::parse(status) else {
            errors.push(FieldError::new(
                "assessments",
                format!("“{}”: pick a status from the list", outcome.title),
            ));
            continue;
        };
        if assessments.iter().any(|a| a.outcome_id == outcome.id) {
            continue;
        }
        let comment = checked_text(&mut errors, "assessments", &row.comment, COMMENT_MAX, false);
        assessments.push(Assessment {
            outcome_id: outcome.id,
            status,
            comment,
        });
    }
    match held_on {
        Some(held_on) if errors.is_empty() => Ok(Checked {
            held_on,
            attendees,
            new_contact,
            notes,
            assessments,
            reason,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

/// The titles of the account's outcomes, for the history.
async fn outcome_titles(
    conn: &mut SqliteConnection,
    account_id: i64,
) -> AppResult<Vec<(i64, String)>> {
    Ok(
        sqlx::query_as("SELECT id, title FROM outcomes WHERE account_id = ?")
            .bind(account_id)
            .fetch_all(conn)
            .await?,
    )
}

/// The review's fields as its history shows them.
fn values(review: &Review, titles: &[(i64, String)]) -> Vec<(&'static str, Value)> {
    let attendees: Vec<String> = review
        .attendees
        .iter()
        .map(|a| match a.kind {
            AttendeeKind::Contact => ContactRole::parse(&a.role)
                .map(|role| format!("{} ({})", a.name, role.label()))
                .unwrap_or_else(|| a.name.clone()),
            AttendeeKind::User => a.name.clone(),
        })
        .collect();
    let assessments: Vec<String> = review
        .assessments
        .iter()
        .map(|a| {
            let title = titles
                .iter()
                .find(|(id, _)| *id == a.outcome_id)
                .map_or("(outcome)", |(_, title)| title.as_str());
            if a.comment.is_empty() {
                format!("{title}: {}", a.status.label())
            } else {
                format!("{title}: {} — {}", a.status.label(), a.comment)
            }
        })
        .collect();
    let text = |items: Vec<String>| {
        if items.is_empty() {
            Value::Null
        } else {
            json!(items.join("; "))
        }
    };
    vec![
        ("scheduled_on", json!(review.scheduled_on)),
        ("held_on", json!(review.held_on)),
        ("attendees", text(attendees)),
        ("assessments", text(assessments)),
        ("notes", json!(review.notes)),
    ]
}

/// Writes revision `revision` of review `(id, account_id)` and its audit event.
async fn finish(
    conn: &mut SqliteConnection,
    user: &CurrentUser,
    (id, account_id): (i64, i64),
    revision: i64,
    reason: &str,
    changes: &Changes,
    action: &str,
) -> AppResult<()> {
    let now = now_timestamp();
    revisions::insert(
        conn,
        History::Review,
        id,
        revision,
        Some(user.id),
        reason,
        changes,
        &now,
    )
    .await?;
    crate::audit::db::record(
        conn,
        &Actor::of(user),
        action,
        ("review", Some(&id.to_string())),
        &json!({
            "account_id": account_id,
            "revision": revision,
            "reason": reason,
            "changes": changes,
        }),
    )
    .await
}

/// Keeps the signed-in user's draft of a review form of account `account_id` (`review_id` 0 for a
/// new review).
pub async fn save_draft(
    db: &Db,
    account_id: i64,
    review_id: i64,
    values: Vec<(String, String)>,
) -> AppResult<String> {
    let mut tx = db.begin_write().await?;
    tx.changes_no_metrics();
    let user = authorize_review_entry(&mut tx, account_id).await?;
    if values.len() > 500 || values.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>() > 200_000
    {
        return Err(AppError::invalid(
            "values",
            "the draft is too large to keep",
        ));
    }
    let now = now_timestamp();
    db::save_draft(&mut tx, (user.id, account_id, review_id), &values, &now).await?;
    tx.commit().await?;
    Ok(now)
}

/// Drops the signed-in user's draft of a review form.
pub async fn discard_draft(db: &Db, account_id: i64, review_id: i64) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    tx.changes_no_metrics();
    let user = authorize_review_entry(&mut tx, account_id).await?;
    db::delete_draft(&mut tx, (user.id, account_id, review_id)).await?;
    tx.commit().await?;
    Ok(())
}
